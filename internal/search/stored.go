package search

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/segment"
)

// The stored text of a shard: what hits show and what phrases and
// fragments are found in, kept beside the zap segment instead of in it.
//
// Every text of an incident (title, summary, section headings and
// bodies) is kept as the tokens the index's tokenizer cut it into and
// the separators between them: text = sep₀ word₁ sep₁ … wordₙ sepₙ.
// Words and separators are numbers into per-shard tables, and every
// word in the table carries the term the analyzer makes of it (its
// stem, or none for a stop word). So the token at position p of a text
// is its p-th word, exactly as the index saw it, and finding a phrase or
// the matches to highlight compares numbers: no text is analyzed again
// at query time. The encoding is also smaller than the text gzip'd.
//
// Word numbers are fixed-width, byte k of every token's number in plane
// k, so that a phrase scan reads them in place without decoding
// (varints would be 2% smaller gzip'd, and four times slower to scan in
// WebAssembly).
//
// Layout (numbers are uvarints, strings a uvarint length then bytes):
//
//	magic "kbtext\x00\x02"
//	terms:   count, then each term, sorted bytewise
//	words:   count, then each word and its term (index in terms + 1, or
//	         0 for a stop word), most frequent first
//	seps:    count, then each separator, most frequent first
//	docs:    count, then per document, in id order: id, meta (JSON),
//	         its number of tokens, and the byte lengths of its counts
//	         and of its separators
//	width:   bytes per word number, 1 to 3
//	counts, per document: its number of sections n, then the number
//	         of tokens of each of its 2+2n texts (title, summary, the n
//	         headings, the n bodies)
//	planes:  width planes, each one byte per token of every document
//	seps, per document: for each text, token count + 1 separator
//	         numbers
type store struct {
	terms    []string // sorted
	words    []string
	wordTerm []int32 // word → index in terms, -1 for a stop word
	// termWords[termAt[t]:termAt[t+1]] are the words of term t.
	termAt, termWords []int32
	seps              []string
	ids               []string // sorted
	metas             [][]byte
	width             int
	planes            [3][]byte // planes[k][i]: byte k of token i's word number
	docTok            []int     // index of each document's first token; one more at the end
	docCnt            []int     // offset of each document's counts in cnt
	docSep            []int     // offset of each document's separators in sep
	cnt, sep          []byte
}

var storeMagic = []byte("kbtext\x00\x02")

// Texts of a document, in stream order.
const (
	textTitle   = 0
	textSummary = 1
	// then the headings, then the bodies
)

// storeBuilder encodes the stored text of one shard. It numbers every
// distinct word, term and separator the first time it meets them, so
// that a token costs one map lookup and everything after works on
// numbers: counting, ranking, encoding, and the term frequencies the
// segment is built from (see pretok.go).
type storeBuilder struct {
	tok     analysis.Tokenizer
	filters []analysis.TokenFilter

	wordNum  map[string]int32
	wordStr  []string
	wordTerm []int32 // word → term, -1 for a word the filters drop

	termNum map[string]int32
	termStr []string
	// termBytes is termStr as zap's term frequencies carry it, shared
	// by every field that holds the term.
	termBytes [][]byte

	sepNum map[string]int32
	sepStr []string

	// texts holds every text build has tokenized, so that a text met
	// again (a heading every incident has) is segmented once.
	texts map[string]*tokenized
	// docTexts are the texts of each document of the last build, in
	// id order: title, summary, the headings, the bodies.
	docTexts [][]*tokenized

	// spans, segs and segTypes are scratch space for split.
	spans    []tokenSpan
	segs     [][]byte
	segTypes []int
	// count and touched are scratch space for analyzed.
	count   []int32
	touched []int32
}

func newStoreBuilder(en analysis.Analyzer) (*storeBuilder, error) {
	da, ok := en.(*analysis.DefaultAnalyzer)
	if !ok || len(da.CharFilters) > 0 {
		return nil, fmt.Errorf("stored text: analyzer %T is not a tokenizer followed by token filters", en)
	}
	return &storeBuilder{
		tok: da.Tokenizer, filters: da.TokenFilters,
		wordNum: map[string]int32{}, termNum: map[string]int32{}, sepNum: map[string]int32{},
		texts: map[string]*tokenized{},
	}, nil
}

// wordOf returns the number of word, numbering it and computing its
// term when it is new.
func (b *storeBuilder) wordOf(word string) int32 {
	if n, ok := b.wordNum[word]; ok {
		return n
	}
	// A copy: the words outlive the shard, in the lexicon, and a slice
	// of the text would keep the whole of every text in memory.
	word = strings.Clone(word)
	n := int32(len(b.wordStr))
	b.wordNum[word] = n
	b.wordStr = append(b.wordStr, word)
	b.wordTerm = append(b.wordTerm, b.termOf(word))
	return n
}

// termOf returns the number of what the analyzer's token filters make
// of one token, -1 when they drop it. The filters look at one token at
// a time, so a word's term does not depend on where it stands.
func (b *storeBuilder) termOf(word string) int32 {
	ts := analysis.TokenStream{&analysis.Token{Term: []byte(word), Position: 1, End: len(word), Type: analysis.AlphaNumeric}}
	for _, f := range b.filters {
		ts = f.Filter(ts)
	}
	if len(ts) != 1 {
		return -1
	}
	if n, ok := b.termNum[string(ts[0].Term)]; ok {
		return n
	}
	term := string(ts[0].Term)
	n := int32(len(b.termStr))
	b.termNum[term] = n
	b.termStr = append(b.termStr, term)
	b.termBytes = append(b.termBytes, []byte(term))
	return n
}

// storedTerm returns the term of word w as the stored text keeps it: -1
// for a stop word, which an empty term also is there.
func (b *storeBuilder) storedTerm(w int32) int32 {
	if t := b.wordTerm[w]; t >= 0 && b.termStr[t] != "" {
		return t
	}
	return -1
}

func (b *storeBuilder) sepOf(sep string) int32 {
	if n, ok := b.sepNum[sep]; ok {
		return n
	}
	n := int32(len(b.sepStr))
	b.sepNum[sep] = n
	b.sepStr = append(b.sepStr, sep)
	return n
}

// words returns every distinct word build has seen, sorted.
func (b *storeBuilder) words() []string {
	return slices.Sorted(slices.Values(b.wordStr))
}

// tokenized is a text as the tokenizer cut it, in word and separator
// numbers: words[i] is the token at position i+1, seps[i] the text
// before it, and the last sep what follows the last word.
type tokenized struct {
	words, seps []int32
}

// split cuts s into words and separators as the tokenizer does, once
// per distinct text.
func (b *storeBuilder) split(s string) *tokenized {
	if t, ok := b.texts[s]; ok {
		return t
	}
	b.spans = b.cut(s, b.spans[:0])
	t := &tokenized{words: make([]int32, len(b.spans)), seps: make([]int32, len(b.spans)+1)}
	at := 0
	for i, sp := range b.spans {
		t.seps[i] = b.sepOf(s[at:sp.start])
		t.words[i] = b.wordOf(s[sp.start:sp.end])
		at = sp.end
	}
	t.seps[len(b.spans)] = b.sepOf(s[at:])
	b.texts[s] = t
	return t
}

// tokenSpan is where a token is in its text.
type tokenSpan struct{ start, end int }

// cut appends the spans of the tokens of s to buf. The unicode
// tokenizer, which the index's analyzer uses, is its segmenter keeping
// the segments that are not spaces or punctuation; cut asks the
// segmenter for all the segments of s at once instead of one by one,
// which spares it two allocations a segment and the tokenizer one a
// token. TestCutAsTokenizer holds the two to the same tokens.
func (b *storeBuilder) cut(s string, buf []tokenSpan) []tokenSpan {
	n := len(buf)
	if _, ok := b.tok.(*unicode.UnicodeTokenizer); ok {
		var err error
		b.segs, b.segTypes, _, err = segment.SegmentWordsDirect([]byte(s), b.segs[:0], b.segTypes[:0])
		if err == nil {
			at := 0
			for i, seg := range b.segs {
				if b.segTypes[i] != segment.None {
					buf = append(buf, tokenSpan{at, at + len(seg)})
				}
				at += len(seg)
			}
			return buf
		}
		// The segmenter gave up on s; the tokenizer knows what to
		// make of that.
		buf = buf[:n]
	}
	for _, tok := range b.tok.Tokenize([]byte(s)) {
		buf = append(buf, tokenSpan{tok.Start, tok.End})
	}
	return buf
}

// tokenize returns the texts of d in stream order.
func (b *storeBuilder) tokenize(d *Document) []*tokenized {
	out := make([]*tokenized, 0, 2+2*len(d.Sections))
	out = append(out, b.split(d.Title), b.split(d.Summary))
	for _, s := range d.Sections {
		out = append(out, b.split(s.Title))
	}
	for _, s := range d.Sections {
		out = append(out, b.split(s.Text))
	}
	return out
}

// build encodes docs, which must be sorted by id.
func (b *storeBuilder) build(docs []*Document) ([]byte, error) {
	for i := 1; i < len(docs); i++ {
		if docs[i-1].ID >= docs[i].ID {
			return nil, errors.New("stored text: documents not sorted by id")
		}
	}
	all := make([][]*tokenized, len(docs))
	for i, d := range docs {
		all[i] = b.tokenize(d)
	}
	b.docTexts = all
	wordCount := make([]int, len(b.wordStr))
	sepCount := make([]int, len(b.sepStr))
	for _, texts := range all {
		for _, t := range texts {
			for _, w := range t.words {
				wordCount[w]++
			}
			for _, s := range t.seps {
				sepCount[s]++
			}
		}
	}
	// The shard's terms are those of the words it holds, sorted;
	// termRank is one more than a term's index among them.
	termRank := make([]int32, len(b.termStr))
	var terms []int32
	for w, c := range wordCount {
		if t := b.storedTerm(int32(w)); c > 0 && t >= 0 && termRank[t] == 0 {
			termRank[t] = 1
			terms = append(terms, t)
		}
	}
	slices.SortFunc(terms, func(x, y int32) int { return strings.Compare(b.termStr[x], b.termStr[y]) })
	for i, t := range terms {
		termRank[t] = int32(i + 1)
	}
	words, wordRank := byFrequency(b.wordStr, wordCount)
	seps, sepRank := byFrequency(b.sepStr, sepCount)

	var out []byte
	str := func(s string) {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	num := func(n int) { out = binary.AppendUvarint(out, uint64(n)) }
	out = append(out, storeMagic...)
	num(len(terms))
	for _, t := range terms {
		str(b.termStr[t])
	}
	num(len(words))
	for _, w := range words {
		str(b.wordStr[w])
		if t := b.storedTerm(w); t >= 0 {
			num(int(termRank[t]))
		} else {
			num(0)
		}
	}
	num(len(seps))
	for _, s := range seps {
		str(b.sepStr[s])
	}
	width := 1
	for len(words) > 1<<(8*width) {
		width++
	}
	if width > 3 {
		return nil, fmt.Errorf("stored text: %d distinct words in one shard", len(words))
	}
	var cnt, sep []byte
	var planes [3][]byte
	type docLens struct{ tokens, cnt, sep int }
	lens := make([]docLens, len(all))
	for i, texts := range all {
		c0, s0, tokens := len(cnt), len(sep), 0
		cnt = binary.AppendUvarint(cnt, uint64((len(texts)-2)/2))
		for _, t := range texts {
			cnt = binary.AppendUvarint(cnt, uint64(len(t.words)))
			for _, w := range t.words {
				id := wordRank[w]
				for k := range width {
					planes[k] = append(planes[k], byte(id>>(8*k)))
				}
			}
			tokens += len(t.words)
			for _, s := range t.seps {
				sep = binary.AppendUvarint(sep, uint64(sepRank[s]))
			}
		}
		lens[i] = docLens{tokens, len(cnt) - c0, len(sep) - s0}
	}
	num(len(all))
	for i, d := range docs {
		str(d.ID)
		str(string(metaOf(d)))
		num(lens[i].tokens)
		num(lens[i].cnt)
		num(lens[i].sep)
	}
	num(width)
	out = append(out, cnt...)
	for k := range width {
		out = append(out, planes[k]...)
	}
	out = append(out, sep...)
	return out, nil
}

// byFrequency returns the numbers of the strings counted at least once,
// most frequent first (then in byte order), and the rank of each number
// in that list.
func byFrequency(strs []string, counts []int) ([]int32, []int32) {
	var keys []int32
	for i, c := range counts {
		if c > 0 {
			keys = append(keys, int32(i))
		}
	}
	slices.SortFunc(keys, func(a, b int32) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(strs[a], strs[b])
	})
	rank := make([]int32, len(counts))
	for i, k := range keys {
		rank[k] = int32(i)
	}
	return keys, rank
}

// metaOf returns the stored record of d: what a hit shows besides its
// texts. Strings are a uvarint length and bytes: the date as shown and
// as sorted (meta.when), severity and status, the number of systems and
// each, the same for causes, then the number of sections and the key
// and anchor of each, then the systems and causes mentioned.
func metaOf(d *Document) []byte {
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	if d.Date.IsZero() {
		str("")
		str("")
	} else {
		str(d.shownDate())
		str(d.Date.UTC().Format(whenLayout))
	}
	str(d.Severity)
	str(d.Status)
	for _, list := range [][]string{d.Systems, d.Causes} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, s := range list {
			str(s)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(d.Sections)))
	for _, s := range d.Sections {
		str(s.Key)
		str(s.Anchor)
	}
	for _, list := range [][]string{d.MentionedSystems, d.MentionedCauses} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, s := range list {
			str(s)
		}
	}
	return b
}

// whenLayout formats meta.when: string order is time order for years
// 0 to 9999.
const whenLayout = "20060102150405.000000000"

// decodeMeta reads a record written by metaOf.
func decodeMeta(b []byte) (meta, error) {
	r := reader{b: b}
	var m meta
	str := func() string { return string(r.bytes()) }
	list := func() []string {
		n := r.count(1)
		if n == 0 {
			return nil
		}
		out := make([]string, n)
		for i := range out {
			out[i] = str()
		}
		return out
	}
	m.Date, m.when, m.Severity, m.Status = str(), str(), str(), str()
	m.Systems, m.Causes = list(), list()
	if n := r.count(2); n > 0 {
		m.Sections = make([]sectionMeta, n)
		for i := range m.Sections {
			m.Sections[i] = sectionMeta{Key: str(), Anchor: str()}
		}
	}
	m.MentionedSystems, m.MentionedCauses = list(), list()
	if r.err == nil && r.at != len(b) {
		r.err = errors.New("stored text: record too long")
	}
	return m, r.err
}

// reader decodes uvarints from a byte slice; the first error sticks.
type reader struct {
	b   []byte
	at  int
	err error
}

func (r *reader) num() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.at:])
	if n <= 0 || v > 1<<31 {
		r.err = errors.New("stored text: bad number")
		return 0
	}
	r.at += n
	return int(v)
}

func (r *reader) bytes() []byte {
	n := r.num()
	if r.err != nil {
		return nil
	}
	if n > len(r.b)-r.at {
		r.err = errors.New("stored text: truncated")
		return nil
	}
	b := r.b[r.at : r.at+n]
	r.at += n
	return b
}

// count reads a number of items each at least min bytes long, checking
// it against the bytes left.
func (r *reader) count(min int) int {
	n := r.num()
	if r.err == nil && n*min > len(r.b)-r.at {
		r.err = errors.New("stored text: count out of range")
		return 0
	}
	return n
}

// openStore decodes the tables and document index of a shard's stored
// text; the streams are used in place.
func openStore(b []byte) (*store, error) {
	if !bytes.HasPrefix(b, storeMagic) {
		return nil, errors.New("stored text: not in this format: rebuild the site and the search module together")
	}
	r := &reader{b: b, at: len(storeMagic)}
	s := &store{}
	// One string holds every table entry, so decoding allocates
	// little; the entries are its substrings.
	strs := func(n int, extra func(i int)) []string {
		start := r.at
		type span struct{ a, b int }
		spans := make([]span, n)
		for i := range n {
			v := r.bytes()
			spans[i] = span{r.at - len(v), r.at}
			if extra != nil {
				extra(i)
			}
		}
		if r.err != nil {
			return nil
		}
		all := string(b[start:r.at])
		out := make([]string, n)
		for i, sp := range spans {
			out[i] = all[sp.a-start : sp.b-start]
		}
		return out
	}
	s.terms = strs(r.count(1), nil)
	nw := r.count(2)
	s.wordTerm = make([]int32, nw)
	s.words = strs(nw, func(i int) {
		t := r.num()
		if t > len(s.terms) {
			r.err = errors.New("stored text: word of an unknown term")
		}
		s.wordTerm[i] = int32(t - 1)
	})
	s.seps = strs(r.count(1), nil)
	nd := r.count(5)
	s.ids = make([]string, nd)
	s.metas = make([][]byte, nd)
	s.docTok = make([]int, nd+1)
	s.docCnt = make([]int, nd+1)
	s.docSep = make([]int, nd+1)
	for i := range nd {
		s.ids[i] = string(r.bytes())
		s.metas[i] = r.bytes()
		s.docTok[i+1] = s.docTok[i] + r.num()
		s.docCnt[i+1] = s.docCnt[i] + r.num()
		s.docSep[i+1] = s.docSep[i] + r.num()
		if i > 0 && r.err == nil && s.ids[i-1] >= s.ids[i] {
			r.err = errors.New("stored text: documents out of order")
		}
	}
	s.width = r.num()
	if r.err != nil {
		return nil, r.err
	}
	if s.width < 1 || s.width > 3 || len(s.words) > 1<<(8*s.width) {
		return nil, fmt.Errorf("stored text: %d words of width %d", len(s.words), s.width)
	}
	rest := b[r.at:]
	tokens := s.docTok[nd]
	if want := s.docCnt[nd] + s.width*tokens + s.docSep[nd]; len(rest) != want {
		return nil, fmt.Errorf("stored text: %d bytes of streams, the index says %d", len(rest), want)
	}
	s.cnt, rest = rest[:s.docCnt[nd]], rest[s.docCnt[nd]:]
	for k := range s.width {
		s.planes[k], rest = rest[:tokens], rest[tokens:]
	}
	s.sep = rest
	s.termAt = make([]int32, len(s.terms)+1)
	for _, t := range s.wordTerm {
		if t >= 0 {
			s.termAt[t+1]++
		}
	}
	for t := range s.terms {
		s.termAt[t+1] += s.termAt[t]
	}
	s.termWords = make([]int32, s.termAt[len(s.terms)])
	fill := slices.Clone(s.termAt)
	for w, t := range s.wordTerm {
		if t >= 0 {
			s.termWords[fill[t]] = int32(w)
			fill[t]++
		}
	}
	// Every word number must be in the table: check the top plane,
	// and whole numbers where it holds the top byte of the last word.
	top, max := s.planes[s.width-1], len(s.words)-1
	maxTop := byte(max >> (8 * (s.width - 1)))
	for i, b := range top {
		if b > maxTop || b == maxTop && s.word(i) > max {
			return nil, errors.New("stored text: word out of range")
		}
	}
	return s, nil
}

// doc returns the number of the document with the given id, or -1.
func (s *store) doc(id string) int {
	i := sort.SearchStrings(s.ids, id)
	if i < len(s.ids) && s.ids[i] == id {
		return i
	}
	return -1
}

// termID returns the index of term in the shard's terms, or -1.
func (s *store) termID(term string) int32 {
	i := sort.SearchStrings(s.terms, term)
	if i < len(s.terms) && s.terms[i] == term {
		return int32(i)
	}
	return -1
}

// termRange returns the indexes of the terms that begin with prefix.
func (s *store) termRange(prefix string) (lo, hi int32) {
	i := sort.SearchStrings(s.terms, prefix)
	j := i + sort.Search(len(s.terms)-i, func(k int) bool { return !strings.HasPrefix(s.terms[i+k], prefix) })
	return int32(i), int32(j)
}

// word returns the word number of token i of the shard.
func (s *store) word(i int) int {
	w := int(s.planes[0][i])
	if s.width > 1 {
		w |= int(s.planes[1][i]) << 8
		if s.width > 2 {
			w |= int(s.planes[2][i]) << 16
		}
	}
	return w
}

// texts returns the number of sections of a document and the bounds
// of its 2+2n texts in the shard's tokens: text i is tokens
// bounds[i]:bounds[i+1]. It appends the bounds to buf.
func (s *store) texts(doc int, buf []int) (int, []int, error) {
	r := reader{b: s.cnt[s.docCnt[doc]:s.docCnt[doc+1]]}
	n := r.num()
	if r.err != nil || n > len(r.b) {
		return 0, buf, fmt.Errorf("stored text of %q: bad counts", s.ids[doc])
	}
	at := s.docTok[doc]
	buf = append(buf, at)
	for range 2 + 2*n {
		at += r.num()
		buf = append(buf, at)
	}
	if r.err != nil || at != s.docTok[doc+1] || r.at != len(r.b) {
		return 0, buf, fmt.Errorf("stored text of %q: bad counts", s.ids[doc])
	}
	return n, buf, nil
}

// doc is one stored document, decoded: its record and the terms of
// its texts; text decodes a text's words and separators when asked.
// Texts are numbered as in the stream: textTitle, textSummary, then the
// headings, then the bodies.
type doc struct {
	id     string
	meta   meta
	n      int // sections
	s      *store
	bounds []int   // text i is the shard's tokens bounds[i]:bounds[i+1]
	terms  []int32 // by token from bounds[0]; -1 for a stop word
	seps   []byte  // the separator stream
	sepAt  []int   // byte offset in seps of each text's separators
}

// load decodes a document: all its texts, or with titleOnly its record
// and title alone.
func (s *store) load(n int, titleOnly bool) (*doc, error) {
	d := &doc{id: s.ids[n], s: s, seps: s.sep[s.docSep[n]:s.docSep[n+1]]}
	var err error
	if d.meta, err = decodeMeta(s.metas[n]); err != nil {
		return nil, fmt.Errorf("stored text of %q: %w", d.id, err)
	}
	if d.n, d.bounds, err = s.texts(n, nil); err != nil {
		return nil, err
	}
	if len(d.meta.Sections) != d.n {
		return nil, fmt.Errorf("stored text of %q: %d sections, the record says %d", d.id, d.n, len(d.meta.Sections))
	}
	texts := 2 + 2*d.n
	if titleOnly {
		texts = 1
	}
	first, last := d.bounds[0], d.bounds[texts]
	d.terms = make([]int32, last-first)
	for i := range d.terms {
		d.terms[i] = s.wordTerm[s.word(first+i)]
	}
	// Text i has bounds[i+1]-bounds[i]+1 separators, each a number
	// that ends with a byte below 0x80.
	d.sepAt = make([]int, texts+1)
	at := 0
	for i := range texts {
		d.sepAt[i] = at
		for c := d.bounds[i+1] - d.bounds[i] + 1; c > 0; at++ {
			if at >= len(d.seps) {
				return nil, fmt.Errorf("stored text of %q: separators missing", d.id)
			}
			if d.seps[at] < 0x80 {
				c--
			}
		}
	}
	d.sepAt[texts] = at
	if !titleOnly && at != len(d.seps) {
		return nil, fmt.Errorf("stored text of %q: separators left over", d.id)
	}
	return d, nil
}

// terms returns the terms of text i, by token.
func (d *doc) termsOf(i int) []int32 {
	return d.terms[d.bounds[i]-d.bounds[0] : d.bounds[i+1]-d.bounds[0]]
}

// text returns text i and, when offsets is set, the byte offsets of
// each of its tokens. A damaged separator reads as nothing.
func (d *doc) text(i int, offsets bool) (s string, start, end []int) {
	from, to := d.bounds[i], d.bounds[i+1]
	r := reader{b: d.seps[d.sepAt[i]:d.sepAt[i+1]]}
	seps := make([]string, to-from+1)
	size := 0
	for j := range seps {
		if sep := r.num(); sep < len(d.s.seps) {
			seps[j] = d.s.seps[sep]
			size += len(seps[j])
		}
	}
	for t := from; t < to; t++ {
		size += len(d.s.words[d.s.word(t)])
	}
	b := make([]byte, 0, size)
	if offsets {
		start, end = make([]int, to-from), make([]int, to-from)
	}
	for j := range to - from {
		b = append(b, seps[j]...)
		if offsets {
			start[j] = len(b)
		}
		b = append(b, d.s.words[d.s.word(from+j)]...)
		if offsets {
			end[j] = len(b)
		}
	}
	b = append(b, seps[to-from]...)
	return string(b), start, end
}

// section returns section i, its title and text decoded.
func (d *doc) section(i int) Section {
	title, _, _ := d.text(2+i, false)
	text, _, _ := d.text(2+d.n+i, false)
	m := d.meta.Sections[i]
	return Section{Key: m.Key, Title: title, Anchor: m.Anchor, Text: text}
}
