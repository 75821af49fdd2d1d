// Package search builds kb's full-text index of incidents at site build
// time and answers queries over it, natively for kb search and compiled
// to WebAssembly (cmd/kbsearch) in the browser. It imports no other kb
// package: the site converts its incidents into Documents.
//
// # API
//
//	man, err := search.Build(dir, docs, search.Options{})   // write the index files
//	ix, err := search.Open(os.DirFS(dir))                    // open them (all shards)
//	res, err := ix.Search(ctx, search.Request{Query: "vault cert", Highlight: true, Facets: true})
//
// In the browser the files arrive one by one: NewIndex takes the
// manifest and mapping, and Load adds each shard as it is downloaded. A
// search covers the shards loaded so far and says so (Result.Shards,
// Result.Partial).
//
// Request and Result are also the JSON protocol of the worker and of
// kb search --json; their field tags are the contract. A Hit is one
// incident; its Section names the section where the query matched best,
// Path links to it (incidents/<id>/#<anchor>), and Fragments are
// HTML-escaped excerpts with the matches in <mark>. Nothing else in a
// fragment or in TitleHTML is markup, so a page may insert them as HTML;
// every other string (Title, Systems, …) is plain text to be escaped.
//
// # Query language
//
//	postgres failover     every word must match (title, section headings,
//	                      summary, section text, systems, causes), ranked
//	                      by BM25 with the title weighted most
//	"connection pool"     a phrase: the words adjacent, within one section
//	fail                  the last word, unless followed by a space, also
//	                      matches as a prefix (failover, failed) from its
//	                      third letter; shorter, it matches systems and
//	                      causes it begins, and only ranks other hits
//	postgress             a word of five letters or more also matches words
//	                      one typo away, nine or more two typos away
//	-word  -"a phrase"    exclusion
//	system:vault          filters: system, cause, severity, status, year
//	cause:"config change" (also systems:, causes:, sev:); several values of
//	-status:resolved      one field are alternatives, different fields are
//	                      all required; a leading - excludes
//
// Words are stemmed in English (certificates finds certificate) and stop
// words ignored. Filter values are compared in lower case. Text that is
// no filter, such as 10:42 or foo:bar, is words. An unterminated quote
// runs to the end of the query. With no words, hits are all incidents
// matching the filters, newest first.
//
// # Files
//
// Build writes into one directory:
//
//	manifest.json     versions, document count, every file with its size
//	                  and SHA-256, the shards in load order, and the
//	                  spelling of every facet value (Manifest)
//	mapping.json      the bleve index mapping
//	instant.json      id, title, date, severity, status, systems and causes
//	                  of every incident, newest first, for matching while
//	                  the search module loads
//	lexicon.zap.gz    a one-document segment of every word (see below)
//	<shard>.shard.gz  one gzip-compressed file per shard: a zap segment,
//	                  then the stored text of its incidents (stored.go)
//
// Up to Options.ShardDocs incidents (DefaultShardDocs) the index is one
// shard, "all". A larger site is split: the newest
// Options.FirstShardDocs incidents (DefaultFirstShardDocs) come first,
// in shard "newest", so that the browser answers after downloading a
// fraction of the index; the rest is split by year, newest first
// ("2024", "2019-2021", "undated"), and a year of more than ShardDocs
// incidents into parts ("2023.1", "2023.2"), so the browser can search
// recent incidents while older ones download, and no shard costs more
// to build or to load than ShardDocs incidents. A search runs over every loaded
// shard with BM25 statistics of them all, and merges the hits, as a
// bleve index alias would (search.go).
//
// The same documents give byte-identical files, whatever their order:
// see segment.go for what that takes.
//
// # Index layout
//
// One bleve document per incident. Section headings and texts are arrays
// aligned with Document.Sections. The segment keeps the terms only: no
// term positions and no stored fields, because positions cost four times
// the rest of the index and stored text compresses badly inside it.
// Systems, causes, severity, status and year are keyword fields with doc
// values, for filters and facets; the date is a datetime field for
// sorting.
//
// Everything else a hit needs is in the shard's stored text (stored.go):
// each incident's record (date, severity, status, systems, causes, the
// keys and anchors of its sections) and every text (title, summary,
// headings, section bodies) as the tokens the index's analyzer cut it
// into, each word with its term, and the separators between them. A
// phrase query is the conjunction of its words in a field, and each
// candidate is kept only if one of its texts in that field holds the
// words at the right positions (phrase.go): bleve's own phrase query
// over term positions gives the same hits with the same scores, and a
// test holds them to it. Fragments are cut around the words the query
// matched, found the same way in the hits' texts (highlight.go).
//
// The lexicon segment holds one document: every word of every incident,
// unstemmed and lower case, in a field no query searches for hits. Its
// dictionary is where a typo or an unfinished word is looked up, once
// for all shards; the words found are then searched as stems, and
// highlighted like any other match. This costs far less than indexing
// every incident's words twice. Typos and prefixes of systems and
// causes are matched against the values the manifest lists.
//
// # Browser
//
// The browser cannot open an on-disk bleve index (bbolt does not compile
// for js/wasm, and zap reads segments through mmap). Open therefore never
// reads an index directory: it decodes each segment in place from bytes
// and hands it to an in-memory scorch index through a segment plugin (see
// segment.go). Native and browser builds run exactly this code; the
// parity test holds them to identical results.
//
// # Worker protocol
//
// assets/search/worker.js runs the module in a Web Worker. It fetches,
// relative to its own URL, wasm_exec.js, kbsearch.wasm.gz (gzip, or
// plain) and index/ (the directory Build wrote); worker.js?index=DIR/&wasm=FILE
// overrides the last two. It starts loading when created: the manifest,
// then at once instant.json, the module, the mapping, the lexicon and
// the first shard. It reads instant.json first, then decompresses the
// module through a DecompressionStream as it streams in, compiling it
// meanwhile; then it loads the lexicon and the shards newest first into
// memory the module allocated, each next shard downloading while the
// one before loads. It needs CSP script-src 'self' 'wasm-unsafe-eval'.
//
// The page sends
//
//	{type: "search", id, request}     request: a Request as JSON
//
// and receives
//
//	{type: "status", state, loaded, shards, error}
//	{type: "result", id, tier, result}
//	{type: "result", id, superseded: true}
//	{type: "result", id, error}
//
// state is "loading", then "instant" once instant.json is in, "ready"
// once a shard is searchable, "complete" when all are, or "error";
// loaded and shards name the shards loaded and all shards. A result of
// tier "instant" comes from instant.json alone (every word a prefix of
// a word of the title, id, systems or causes; filters exact; newest
// first; no fragments, facets or scores; partial: true). The worker
// answers the newest search it has: searches that queued behind it are
// answered superseded, and a search answered at tier "instant" is
// answered again, with the same id, at tier "full" when the module is
// ready. When a status reports more shards loaded and the last result
// was partial, the page may send its query again.
package search
