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
//	postgress             a word that no incident has, of five letters or
//	                      more, matches words one typo away, nine or more
//	                      two typos away; a word some incident has is
//	                      never matched fuzzily, so a typo in one title
//	                      cannot outrank the incidents spelled right
//	rollback              a compound also matches its open form as a
//	                      phrase ("rolled back"), and "roll back" the
//	                      compound (relax.go lists them)
//	-word  -"a phrase"    exclusion
//	system:vault          filters: system, cause, severity, status, year
//	cause:"config change" (also systems:, causes:, sev:); several values of
//	-status:resolved      one field are alternatives, different fields are
//	                      all required; a leading - excludes. system: and
//	                      cause: find the incidents that declare the term
//	                      and those whose text mentions it, as the site's
//	                      pages of systems and causes list them
//
// Words are stemmed in English (certificates finds certificate, evicted
// eviction) and stop words ignored. Filter values are compared in lower
// case. Text that is no filter, such as 10:42 or foo:bar, is words. An
// unterminated quote runs to the end of the query. With no words, hits
// are all incidents matching the filters, newest first.
//
// No dead ends: when no incident has every word, the hits are those with
// the most of them (Result.Relaxed), ranked by how many they have and
// then by score; a query of more than six words (a pasted error line or
// alert) is always ranked that way, those with every word first. The
// words no incident has are named (Result.Missing).
//
// Limits: a query is cut to MaxQueryBytes and to its first MaxQueryWords
// words, phrases and filters, and a word given twice counts once, in kb
// search and in the browser alike, so that no query, however long or
// crafted, keeps a reader's worker busy.
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
//	quick.json        the quick index: the first word of each chunk
//	quick-NNNN.gz     its chunks: terms, each with its incidents and a
//	                  weight, and the words that stem to them (quick.go)
//	quick-docs-NNNN.gz what a hit shows of 128 incidents at a time
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
// bleve index alias would (run.go).
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
// (segment.go), and searches run bleve's searchers and collector on it
// through a reader of our own (reader.go) with queries of our own
// (internal/query), which make the searchers bleve's queries make.
// Native and browser builds run exactly this code; tests hold it to
// bleve's own search over the same segments, and the parity test holds
// the module to the native results.
//
// The module is kept under 2,000,000 bytes gzip'd (TestWasmSize): the
// browser build imports neither bleve's root package, scorch nor
// bleve's query package (TestWasmImports), and wasm.sh replaces two
// modules bleve compiles against with stubs of our own, in the browser
// build only: bbolt (internal/bboltstub), which does not compile for
// js/wasm, and the geo module (internal/geostub), as kb indexes no geo
// fields.
//
// # Worker protocol
//
// assets/search/worker.js runs the module in a Web Worker. It fetches,
// relative to its own URL, wasm_exec.js, kbsearch.wasm.gz (gzip, or
// plain) and index/ (the directory Build wrote); worker.js?index=DIR/&wasm=FILE
// overrides the last two. The page creates it only when the reader shows
// intent (focus in the search box, "/", the search page), or when the
// browser is idle with search.prefetch = "idle". It fetches the manifest
// at once, and the quick index's quick.json with the first search or a
// "warm" message. A search that comes before the module is ready is
// answered from the quick index: each word is looked up in the one chunk
// that holds it (through the chunk's word → term table, as the browser
// has no stemmer), incidents are ranked as Search ranks them (every
// word first when some incident has them all; else, and for queries of
// more than six words, by how many words they have; then by the chunks'
// weights), and the hits' titles and dates come from the small pages of
// incidents. Only then does it download the module, decompressing it
// through a DecompressionStream as it streams in and compiling it
// meanwhile, and load the lexicon and the shards newest first into
// memory the module allocated, each next shard downloading while the one
// before loads; instant.json comes after the first quick answer, or at
// once for a query with filters. Where the index has no quick index, the
// titles of instant.json answer instead. It needs CSP script-src 'self'
// 'wasm-unsafe-eval'.
//
// The page sends
//
//	{type: "search", id, request}     request: a Request as JSON
//	{type: "warm"}                    a search is coming
//
// and receives
//
//	{type: "status", state, loaded, shards, error}
//	{type: "result", id, tier, result}
//	{type: "result", id, superseded: true}
//	{type: "result", id, error}
//
// state is "loading", then "instant" once the quick index or instant.json
// answers, "ready" once a shard is searchable, "complete" when all are,
// or "error"; loaded and shards name the shards loaded and all shards. A
// result of tier "instant" comes from the quick index (ranked, with
// Relaxed and Missing, but no fragments or facets; partial: true), and
// on a slow link may come twice for one search: the first five hits,
// then the rest. The worker answers the newest search it has: searches
// that queued behind it are answered superseded, and a search answered
// at tier "instant" is answered again, with the same id, at tier "full"
// when the module is ready. When a status reports more shards loaded and
// the last result was partial, the page may send its query again.
package search
