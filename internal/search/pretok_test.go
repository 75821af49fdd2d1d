package search

import (
	"bytes"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
)

// TestPretokenizedSegment holds the shortcut of pretok.go to what it
// replaces: a segment built from the stored text's tokens has the same
// bytes as one built by bleve analyzing every text itself, and the
// lexicon made from the shards' words is the one made by analyzing every
// text with the plain analyzer. The documents include the tricky texts
// (scripts without spaces, apostrophes, stop words only, odd spaces).
func TestPretokenizedSegment(t *testing.T) {
	im, en, sb, ptrs, bd := storedFixture(t)
	want, err := buildSegment(t.TempDir(), im, bd, 0)
	if err != nil {
		t.Fatal(err)
	}
	pre := &pretokenized{sb: sb, fallback: en}
	bim, err := buildMapping(defaultLayout, pre)
	if err != nil {
		t.Fatal(err)
	}
	got, err := buildSegment(t.TempDir(), bim, bd, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("segment from the stored text's tokens differs from bleve's own: %d bytes, want %d", len(got), len(want))
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
	docs := storeDocs()
	ptrs := make([]*Document, len(docs))
	for i := range docs {
		ptrs[i] = &docs[i]
	}
	slices.SortFunc(ptrs, func(a, b *Document) int { return strings.Compare(a.ID, b.ID) })
	im, err := newMapping(defaultLayout)
	if err != nil {
		t.Fatal(err)
	}
	en, err := analyzer(im, im.DefaultAnalyzer)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := newStoreBuilder(en)
	if err != nil {
		t.Fatal(err)
	}
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
// feeds.
func TestPretokenizedOnce(t *testing.T) {
	_, en, sb, _, bd := storedFixture(t)
	counting := &countingAnalyzer{Analyzer: en}
	bim, err := buildMapping(defaultLayout, &pretokenized{sb: sb, fallback: counting})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := buildSegment(t.TempDir(), bim, bd, 0); err != nil {
		t.Fatal(err)
	}
	if counting.n != 0 {
		t.Errorf("bleve analyzed %d texts again; want every one answered from the stored text", counting.n)
	}
}

// countingAnalyzer counts the texts it analyzes; the segment builder
// may call it from several goroutines.
type countingAnalyzer struct {
	analysis.Analyzer
	mu sync.Mutex
	n  int
}

func (c *countingAnalyzer) Analyze(b []byte) analysis.TokenStream {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.Analyzer.Analyze(b)
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
