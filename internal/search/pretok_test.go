package search

import (
	"bytes"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	zap "github.com/blevesearch/zapx/v17"
)

// TestPretokenizedSegment holds the shortcut of pretok.go to what it
// replaces: a segment built from the stored text's tokens has the same
// bytes as one built by bleve's offline builder analyzing every text
// itself, whether it is made in one batch or merged from several; and
// the lexicon made from the shards' words is the one made by analyzing
// every text with the plain analyzer. The documents include the tricky
// texts (scripts without spaces, apostrophes, stop words only, odd
// spaces).
func TestPretokenizedSegment(t *testing.T) {
	im, _, sb, ptrs, bd := storedFixture(t)
	pre := slices.Clone(bd)
	for i := range pre {
		pre[i].pre = sb.preAnalyze(i)
	}
	for _, batch := range []int{0, 2} {
		want := bleveSegment(t, im, bd, batch)
		for name, docs := range map[string][]bleveDoc{"analyzed by bleve": bd, "pre-analyzed": pre} {
			got, err := buildSegment(t.TempDir(), im, docs, batch)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("batch %d, %s: segment differs from bleve's builder's: %d bytes, want %d", batch, name, len(got), len(want))
			}
		}
	}
	// Every text was answered from the stored text, none re-analyzed.
	for _, d := range ptrs {
		for _, s := range append([]string{d.Title, d.Summary}, sectionTexts(d)...) {
			if _, ok := sb.texts[s]; !ok {
				t.Errorf("%s: text %.30q was not tokenized by the stored-text builder", d.ID, s)
			}
		}
	}

	plain, err := analyzer(im, analyzerPlain)
	if err != nil {
		t.Fatal(err)
	}
	lex, err := lexiconDoc(plain, [][]string{sb.words()[:len(sb.words())/2], sb.words()[len(sb.words())/3:]})
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, d := range ptrs {
		for _, s := range append([]string{d.Title, d.Summary}, sectionTexts(d)...) {
			for _, tok := range plain.Analyze([]byte(s)) {
				set[string(tok.Term)] = true
			}
		}
	}
	if got, want := lex.fields.(*lexiconFields).Word, strings.Join(slices.Sorted(maps.Keys(set)), " "); got != want {
		t.Errorf("lexicon from the shards' words:\n%.200s\nwant, from analyzing every text:\n%.200s", got, want)
	}
}

// storedFixture is the stored-text builder after it has seen storeDocs,
// with the index mapping, its analyzer, the documents in id order and
// their bleve documents.
func storedFixture(t *testing.T) (*mapping.IndexMappingImpl, analysis.Analyzer, *storeBuilder, []*Document, []bleveDoc) {
	t.Helper()
	ptrs := byID(storeDocs())
	im, en, sb := testBuilder(t, defaultLayout)
	if _, err := sb.build(ptrs); err != nil {
		t.Fatal(err)
	}
	bd := make([]bleveDoc, len(ptrs))
	for i, d := range ptrs {
		bd[i] = toBleve(d, defaultLayout)
	}
	return im, en, sb, ptrs, bd
}

func sectionTexts(d *Document) []string {
	var out []string
	for _, s := range d.Sections {
		out = append(out, s.Title, s.Text)
	}
	return out
}

// TestPretokenizedOnce counts the tokenizer's work: building an index
// segments each distinct text once, however many fields and files it
// feeds, and bleve is left no text field to analyze.
func TestPretokenizedOnce(t *testing.T) {
	docs := storeDocs()
	ptrs := make([]*Document, len(docs))
	distinct := map[string]bool{}
	for i := range docs {
		ptrs[i] = &docs[i]
		for _, s := range append([]string{docs[i].Title, docs[i].Summary}, sectionTexts(&docs[i])...) {
			distinct[s] = true
		}
	}
	slices.SortFunc(ptrs, func(a, b *Document) int { return strings.Compare(a.ID, b.ID) })
	im, _, sb := testBuilder(t, defaultLayout)
	counting := &countingTokenizer{Tokenizer: sb.tok}
	sb.tok = counting
	if _, err := sb.build(ptrs); err != nil {
		t.Fatal(err)
	}
	for i, d := range ptrs {
		bd := toBleve(d, defaultLayout)
		bd.pre = sb.preAnalyze(i)
		doc, err := mapDoc(im, bd)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range doc.Fields {
			_, plain := f.(*document.TextField)
			switch f.Name() {
			case fieldTitle, fieldSummary, fieldHeading, fieldBody:
			default:
				plain = false
			}
			if plain {
				t.Errorf("%s: bleve would analyze field %s", d.ID, f.Name())
			}
		}
	}
	if counting.n != len(distinct) {
		t.Errorf("the tokenizer ran %d times for %d distinct texts", counting.n, len(distinct))
	}
}

// countingTokenizer counts the texts it tokenizes.
type countingTokenizer struct {
	analysis.Tokenizer
	n int
}

func (c *countingTokenizer) Tokenize(b []byte) analysis.TokenStream {
	c.n++
	return c.Tokenizer.Tokenize(b)
}

// bleveSegment is the segment bleve's offline builder makes of docs,
// analyzing their texts itself: what buildSegment must give.
func bleveSegment(t *testing.T, im *mapping.IndexMappingImpl, docs []bleveDoc, batch int) []byte {
	t.Helper()
	if batch <= 0 {
		batch = builderBatch
	}
	registerPlugin()
	dir := filepath.Join(t.TempDir(), "index")
	b, err := bleve.NewBuilder(dir, im, map[string]any{
		"forceSegmentType":    pluginType,
		"forceSegmentVersion": int(zap.Version),
		"buildPathPrefix":     t.TempDir(),
		"batchSize":           batch,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := b.Index(d.id, d.fields); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	segs, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil || len(segs) != 1 {
		t.Fatalf("builder wrote segments %v (%v), want 1", segs, err)
	}
	data, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := canonicalize(data); err != nil {
		t.Fatal(err)
	}
	return data
}

// Past MaxSections, the sections of an incident are searched as one: the
// index keeps MaxSections of them, and a word of the last is still found
// in the last one kept.
func TestFoldSections(t *testing.T) {
	var ss []Section
	for i := range MaxSections + 500 {
		ss = append(ss, Section{Title: "Heading " + strconv.Itoa(i), Anchor: "h" + strconv.Itoa(i), Text: "text" + strconv.Itoa(i)})
	}
	ss[len(ss)-1].Text = "zanzibar"
	got := foldSections(ss, MaxSections)
	if len(got) != MaxSections {
		t.Fatalf("%d sections kept, want %d", len(got), MaxSections)
	}
	last := got[MaxSections-1]
	if last.Anchor != ss[MaxSections-1].Anchor || !strings.HasPrefix(last.Text, ss[MaxSections-1].Text+"\n") ||
		!strings.Contains(last.Text, "\nHeading 1499\nzanzibar") {
		t.Errorf("last kept section: anchor %q, text %.40q…%q", last.Anchor, last.Text, last.Text[len(last.Text)-30:])
	}
	if ss[MaxSections-1].Text != "text"+strconv.Itoa(MaxSections-1) {
		t.Error("the caller's sections were changed")
	}
	if few := ss[:10]; len(foldSections(few, MaxSections)) != 10 {
		t.Error("a short list was folded")
	}
	docs := []Document{{ID: "big", Title: "Big", Sections: ss}}
	files, man, err := BuildFiles(docs, Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 || man.Docs != 1 || len(docs[0].Sections) != MaxSections+500 {
		t.Errorf("build: %d files, %d docs; caller's document has %d sections", len(files), man.Docs, len(docs[0].Sections))
	}
}

// TestCutAsTokenizer holds the stored-text builder's way of segmenting a
// text to the tokens of the index's tokenizer: on the tricky texts, the
// documents of the other tests, and random strings of bytes, runes of
// many scripts, spaces and punctuation, valid UTF-8 or not.
func TestCutAsTokenizer(t *testing.T) {
	_, _, sb := testBuilder(t, defaultLayout)
	if _, ok := sb.tok.(*unicode.UnicodeTokenizer); !ok {
		t.Fatalf("the analyzer's tokenizer is a %T; this test covers the unicode one", sb.tok)
	}
	var texts []string
	for _, d := range storeDocs() {
		texts = append(texts, d.Title, d.Summary)
		texts = append(texts, sectionTexts(&d)...)
	}
	r := rand.New(rand.NewPCG(7, 11))
	pieces := []string{"a", "Z", "9", "0.5", "1,000", "'", "’", "-", "_", ".", ",", " ", "\t", "\n", "\u00a0", "\u200b",
		"é", "ß", "İ", "日本", "語", "カタカナ", "ひらがな", "한국어", "ไทย", "עברית", "عربي", "😀", "👍🏽", "\u0301",
		"can't", "U.S.A.", "e-mail", "foo@bar.com", "http://x.y/z", "\xff", "\xe2\x82", "\x00"}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(40) {
			if r.IntN(10) == 0 {
				b.WriteByte(byte(r.IntN(256)))
			} else {
				b.WriteString(pieces[r.IntN(len(pieces))])
			}
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		var want []tokenSpan
		for _, tok := range sb.tok.Tokenize([]byte(s)) {
			want = append(want, tokenSpan{tok.Start, tok.End})
		}
		if got := sb.cut(s, nil); !slices.Equal(got, want) {
			t.Errorf("%q: tokens at %v, the tokenizer's at %v", s, got, want)
		}
	}
}

// testBuilder is a stored-text builder for the layout l, with the mapping
// and analyzer it was made from.
func testBuilder(tb testing.TB, l layout) (*mapping.IndexMappingImpl, analysis.Analyzer, *storeBuilder) {
	tb.Helper()
	im, err := newMapping(l)
	if err != nil {
		tb.Fatal(err)
	}
	en, err := analyzer(im, im.DefaultAnalyzer)
	if err != nil {
		tb.Fatal(err)
	}
	sb, err := newStoreBuilder(en)
	if err != nil {
		tb.Fatal(err)
	}
	return im, en, sb
}

// byID points at docs in the order a shard holds them.
func byID(docs []Document) []*Document {
	ptrs := make([]*Document, len(docs))
	for i := range docs {
		ptrs[i] = &docs[i]
	}
	slices.SortFunc(ptrs, func(a, b *Document) int { return strings.Compare(a.ID, b.ID) })
	return ptrs
}
