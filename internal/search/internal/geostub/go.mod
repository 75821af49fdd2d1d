module github.com/blevesearch/geo

go 1.26.0

require github.com/blevesearch/bleve_index_api v1.4.1
