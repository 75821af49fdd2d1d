package search

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// trickyTexts are strings whose tokens are hard to get right: unicode
// letters, marks, scripts without spaces, apostrophes, numbers with
// punctuation, symbols and odd white space.
var trickyTexts = []string{
	"",
	"   ",
	"—",
	"!!! ??? ...",
	"Vault's certificate and the vault’s key; the vault＇s token. Its 'quoted' word'",
	"Café crème, naïve coöperation, résumé and Ångström: ÉCOLE école",
	"e\u0301clair and cafe\u0301 (combining accents)",
	"日本語のテキスト、東京でのインシデント。中文分词测试",
	"Ελληνικά κείμενα και ΚΕΦΑΛΑΙΑ; Кириллица и ПРОПИСНЫЕ буквы",
	"עברית ועוד טקסט العربية نص",
	"10:42 and 09:12:33, 1,000.50 and 3.14, v1.2.3, e.g. i.e. U.S.A.",
	"foo.bar foo:bar foo_bar foo-bar foo/bar foo@bar.com https://example.com/a?b=c#d",
	"snake_case_word _leading trailing_ __ a__b",
	"don't can't won't it's they're O'Brien rock'n'roll",
	"emoji 🔥 fire 👩‍💻 dev 🇫🇷 flag #hashtag @mention",
	"tab\tseparated\nnew line\r\nwindows\u00a0nbsp\u2028line\u2029para",
	"MiXeD CaSe WORDS and Ünïcödé UPPER",
	"the of and to a in", // stop words only
	"connections connected connecting connection's CONNECTION",
	strings.Repeat("long ", 50) + "end",
	"\u200bzero\u200bwidth\u200b spaces and soft\u00adhyphen",
	"İstanbul ǅemal ß straße STRASSE ﬁle",
}

// storeDocs are documents for the stored text tests: the fixture, a
// little synthetic text and one document per tricky text.
func storeDocs() []Document {
	docs := append(fixture(), synthetic(30)...)
	for i, s := range trickyTexts {
		docs = append(docs, Document{
			ID:      fmt.Sprintf("tricky-%02d", i),
			Title:   s,
			Summary: s + " summary",
			Date:    day("2020-01-01"),
			Sections: []Section{
				{Key: "k", Title: s, Anchor: "a", Text: s},
				{Title: "", Text: s + " " + s},
			},
		})
	}
	return docs
}

func buildStore(t *testing.T, docs []Document) *store {
	t.Helper()
	_, _, sb := testBuilder(t, defaultLayout)
	b, err := sb.build(byID(docs))
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(b)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The stored text gives back every text exactly, with the record.
func TestStoreRoundTrip(t *testing.T) {
	docs := storeDocs()
	st := buildStore(t, docs)
	if len(st.ids) != len(docs) {
		t.Fatalf("%d documents stored, want %d", len(st.ids), len(docs))
	}
	for _, d := range docs {
		n := st.doc(d.ID)
		if n < 0 {
			t.Fatalf("%s: not stored", d.ID)
		}
		got, err := st.load(n, false)
		if err != nil {
			t.Fatal(err)
		}
		title, _, _ := got.text(textTitle, false)
		summary, _, _ := got.text(textSummary, false)
		if title != d.Title || summary != d.Summary || got.n != len(d.Sections) {
			t.Errorf("%s: title %q summary %q, %d sections", d.ID, title, summary, got.n)
		}
		var sections []Section
		for i := range got.n {
			sections = append(sections, got.section(i))
		}
		if !slices.Equal(sections, d.Sections) {
			t.Errorf("%s: sections\n%q\nwant\n%q", d.ID, sections, d.Sections)
		}
		if got.meta.Severity != d.Severity || got.meta.Status != d.Status || !slices.Equal(got.meta.Systems, d.Systems) ||
			!slices.Equal(got.meta.Causes, d.Causes) || (got.meta.Date == "") != d.Date.IsZero() {
			t.Errorf("%s: record %+v", d.ID, got.meta)
		}
		short, err := st.load(n, true)
		if err != nil {
			t.Fatal(err)
		}
		if title, _, _ := short.text(textTitle, false); title != d.Title {
			t.Errorf("%s: title only: %q", d.ID, title)
		}
	}
	if st.doc("no-such-id") != -1 || st.doc("") != -1 {
		t.Error("unknown ids found")
	}
}

// The stored tokens are the analyzer's: every text's terms, at their
// positions, are what the index was built from.
func TestStoreMatchesAnalyzer(t *testing.T) {
	docs := storeDocs()
	st := buildStore(t, docs)
	im, _ := newMapping(defaultLayout)
	en, _ := analyzer(im, im.DefaultAnalyzer)
	for _, d := range docs {
		got, err := st.load(st.doc(d.ID), false)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 + 2*got.n {
			s, start, end := got.text(i, true)
			type tok struct {
				term       string
				pos        int
				start, end int
			}
			var want, have []tok
			for _, tk := range en.Analyze([]byte(s)) {
				want = append(want, tok{string(tk.Term), tk.Position, tk.Start, tk.End})
			}
			for j, term := range got.termsOf(i) {
				if term >= 0 {
					have = append(have, tok{st.terms[term], j + 1, start[j], end[j]})
				}
			}
			if !slices.Equal(have, want) {
				t.Errorf("%s text %d %q:\n got %v\nwant %v", d.ID, i, s, have, want)
			}
		}
	}
}

func TestStoreErrors(t *testing.T) {
	docs := fixture()
	st := buildStore(t, docs)
	_ = st
	im, _ := newMapping(defaultLayout)
	en, _ := analyzer(im, im.DefaultAnalyzer)
	sb, _ := newStoreBuilder(en)
	ptrs := []*Document{&docs[1], &docs[0]}
	if _, err := sb.build(ptrs); err == nil {
		t.Error("unsorted documents: no error")
	}
	b, err := sb.build([]*Document{&docs[0], &docs[1]})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{nil, []byte("nope"), b[:len(b)-1], append(slices.Clone(b), 0), b[:len(storeMagic)+3]} {
		if _, err := openStore(bad); err == nil {
			t.Errorf("%d bytes of a %d byte store: no error", len(bad), len(b))
		}
	}
}

// phraseDocs are documents for the phrase tests, one case each.
func phraseDocs() []Document {
	doc := func(id, title, summary string, sections ...Section) Document {
		return Document{ID: id, Title: title, Summary: summary, Date: day("2024-05-05"), Systems: []string{"sys-" + id[:1]},
			Sections: sections}
	}
	sec := func(title, text string) Section {
		return Section{Title: title, Text: text, Anchor: strings.ToLower(title)}
	}
	return []Document{
		doc("a-adjacent", "Adjacent", "", sec("Body", "The connection pool was exhausted.")),
		doc("b-apart", "Apart", "", sec("Body", "The pool of every connection was exhausted.")),
		doc("c-sections", "Sections", "", sec("One", "We lost the alpha"), sec("Two", "beta after beta.")),
		doc("c2-one-section", "One section", "", sec("One", "We lost the alpha beta.")),
		doc("d-heading", "Heading", "", sec("Gamma", "delta exhausted"), sec("Other", "nothing")),
		doc("e-title", "Lost epsilon", "zeta drained at noon", sec("Body", "nothing here")),
		doc("f-stop", "Stop words", "", sec("Body", "The root of the problem was old. A root for a problem too.")),
		doc("g-nostop", "No stop words", "", sec("Body", "The root problem was old.")),
		doc("h-repeat", "Repeat", "", sec("Body", "It was slow slow going, then going slow.")),
		doc("i-norepeat", "No repeat", "", sec("Body", "It was slow, going slow, so slow.")),
		doc("j-unicode", "Café crème", "", sec("Body", "The vault’s certificate expired in the Café Crème outage.")),
		doc("k-stems", "Stems", "", sec("Body", "Connections pooling everywhere.")),
		doc("l-inheading", "Inside", "", sec("Root cause of failure", "text")),
		doc("m-triple", "Triple", "", sec("Body", "deploy deploy deploy"), sec("Next", "deploy deploy")),
		doc("n-long", "Long", "", sec("Body", longText(0, 80))),
	}
}

// longText returns the words word<from> to word<to-1>.
func longText(from, to int) string {
	var w []string
	for i := from; i < to; i++ {
		w = append(w, fmt.Sprintf("word%02d", i))
	}
	return strings.Join(w, " ")
}

func TestPhrases(t *testing.T) {
	dir := t.TempDir()
	if _, err := Build(dir, phraseDocs(), Options{}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		name, query string
		want        []string // sorted
	}{
		{"adjacent only", `"connection pool"`, []string{"a-adjacent", "k-stems"}},
		{"reversed", `"pool connection"`, []string{}},
		{"not across sections", `"alpha beta"`, []string{"c2-one-section"}},
		{"not across a heading and its text", `"gamma delta"`, []string{}},
		{"in a heading and its text alone", `"delta exhausted" gamma`, []string{"d-heading"}},
		{"not across title and summary", `"epsilon zeta"`, []string{}},
		{"in a title", `"lost epsilon"`, []string{"e-title"}},
		{"in a summary", `"zeta drained"`, []string{"e-title"}},
		{"in a heading", `"root cause"`, []string{"l-inheading"}},
		{"stop words are gaps", `"root of the problem"`, []string{"f-stop"}},
		{"a gap needs a word", `"root problem"`, []string{"g-nostop"}},
		{"gaps match any word", `"root in a problem"`, []string{"f-stop"}},
		{"repeated word", `"slow slow"`, []string{"h-repeat"}},
		{"repeated word three times", `"deploy deploy deploy"`, []string{"m-triple"}},
		{"repeated word, too many", `"deploy deploy deploy deploy"`, []string{}},
		{"one word and stop words", `"the vault"`, []string{"j-unicode"}},
		{"unicode and curly possessive", `"vault's certificate"`, []string{"j-unicode"}},
		{"case and accents", `"CAFÉ crème"`, []string{"j-unicode"}},
		{"stop words only", `"the of"`, []string{}},
		{"excluded phrase", `pool -"connection pool"`, []string{"b-apart"}},
		{"excluded phrase across sections", `alpha -"alpha beta"`, []string{"c-sections"}},
		{"eleven words", `"` + longText(5, 16) + `"`, []string{"n-long"}},
		{"eleven words, one wrong", `"` + longText(5, 15) + ` nope"`, []string{}},
		{"seventy words", `"` + longText(3, 73) + `"`, []string{"n-long"}},
		{"seventy words, one wrong", `"` + longText(3, 72) + ` word00"`, []string{}},
		{"seventy words past the end", `"` + longText(11, 81) + `"`, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, ix, Request{Query: tt.query, Size: 100, Facets: true})
			got := ids(res)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.query, got, tt.want)
			}
			// Totals and facets count only the hits that hold the
			// phrase.
			if res.Total != len(tt.want) {
				t.Errorf("%s: total %d, want %d", tt.query, res.Total, len(tt.want))
			}
			n := 0
			for _, c := range res.Facets["system"] {
				n += c.Count
			}
			if n != len(tt.want) {
				t.Errorf("%s: system facets count %d, want %d", tt.query, n, len(tt.want))
			}
		})
	}
	// Only the words of the phrase where they are adjacent are marked.
	h := search(t, ix, Request{Query: `"slow slow" `, Highlight: true}).Hits[0]
	if want := []string{"It was <mark>slow slow</mark> going, then going slow."}; !slices.Equal(h.Fragments, want) {
		t.Errorf("fragments %q, want %q", h.Fragments, want)
	}
	h = search(t, ix, Request{Query: `"root of the problem" `, Highlight: true}).Hits[0]
	if want := []string{"The <mark>root</mark> of the <mark>problem</mark> was old. A <mark>root</mark> for a <mark>problem</mark> too."}; !slices.Equal(h.Fragments, want) {
		t.Errorf("fragments %q, want %q", h.Fragments, want)
	}
}

// The phrase check gives exactly what bleve's own phrase query gives
// over an index with term positions: the same hits with the same
// scores, field by field.
func TestPhrasesAsBleve(t *testing.T) {
	docs := append(storeDocs(), phraseDocs()...)
	docs = append(docs, synthetic(300)...)
	dir := t.TempDir()
	if _, err := Build(dir, docs, Options{ShardDocs: -1}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	im, err := newMapping(layout{Positions: true, BM25: true})
	if err != nil {
		t.Fatal(err)
	}
	var bd []bleveDoc
	for i := range docs {
		bd = append(bd, toBleve(&docs[i], layout{Positions: true, BM25: true}))
	}
	seg, err := buildSegment(t.TempDir(), im, bd, 0)
	if err != nil {
		t.Fatal(err)
	}
	ref := bleveIndex(t, im, &segIndex{name: "ref", zap: seg})
	shard := bleveIndex(t, ix.im, ix.shards[0].idx)

	// Phrases: pairs and triples of words from the texts, and a few
	// made up.
	phrases := []string{"connection pool", "root of the problem", "slow slow", "deploy deploy", "the vault's certificate",
		"café crème", "日本語", "foo.bar", "10:42", "root cause", "lessons learned", "load balancer"}
	for _, d := range docs[len(docs)-40:] {
		words := strings.Fields(d.Sections[3].Text)
		for i := 0; i+3 < len(words); i += 17 {
			phrases = append(phrases, strings.Join(words[i:i+2], " "), strings.Join(words[i:i+3], " "))
		}
	}
	for _, s := range trickyTexts {
		if w := strings.Fields(s); len(w) >= 2 {
			phrases = append(phrases, w[0]+" "+w[1])
		}
	}
	matched := 0
	for _, p := range phrases {
		tokens := ix.en.Analyze([]byte(p))
		if len(tokens) == 0 {
			continue
		}
		for _, f := range textFields {
			want := map[string]float64{}
			q := query.NewMatchPhraseQuery(p)
			q.SetField(f.name)
			res, err := ref.Search(bleve.NewSearchRequestOptions(q, 1000, 0, false))
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				want[h.ID] = h.Score
			}
			got := map[string]float64{}
			req := bleve.NewSearchRequestOptions(&phraseQuery{field: f.name, slots: phraseSlots(tokens), boost: 1, ix: ix}, 1000, 0, false)
			res, err = shard.SearchInContext(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				got[h.ID] = h.Score
			}
			if len(got) != len(want) {
				t.Errorf("%q in %s: %d hits, bleve %d", p, f.name, len(got), len(want))
				continue
			}
			for id, s := range want {
				if g, ok := got[id]; !ok || math.Abs(g-s) > 1e-9*math.Abs(s) {
					t.Errorf("%q in %s: %s scored %v (found %v), bleve %v", p, f.name, id, g, ok, s)
				}
			}
			matched += len(want)
		}
	}
	t.Logf("%d phrases, %d matches, as bleve", len(phrases), matched)
	if matched < 100 {
		t.Errorf("only %d matches in all: the phrases test too little", matched)
	}
}

// FuzzStore: the stored text of a shard comes over the network, and a
// damaged or mixed-up file must give an error, never a panic, a hang or
// an allocation out of proportion to its size. What opens must decode
// every document and text.
func FuzzStore(f *testing.F) {
	_, _, sb := testBuilder(f, defaultLayout)
	ptrs := byID(fixture())
	good, err := sb.build(ptrs[:3])
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(slices.Concat(storeMagic, []byte{1, 1, 'a', 1, 1, 'a', 1, 0, 1, 1, 'x', 0, 0, 0, 0, 1}))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := openStore(b)
		if err != nil {
			return
		}
		for n := range st.ids {
			for _, titleOnly := range []bool{true, false} {
				d, err := st.load(n, titleOnly)
				if err != nil {
					continue
				}
				texts := 1
				if !titleOnly {
					texts = 2 + 2*d.n
				}
				for i := range texts {
					s, start, end := d.text(i, true)
					if len(start) != len(d.termsOf(i)) || len(end) != len(start) {
						t.Fatalf("text %d: %d offsets for %d terms", i, len(start), len(d.termsOf(i)))
					}
					for j := range start {
						if start[j] > end[j] || end[j] > len(s) {
							t.Fatalf("text %d: token %d at %d:%d of %d bytes", i, j, start[j], end[j], len(s))
						}
					}
				}
			}
		}
	})
}

// The words a shard hands the lexicon are copies: a word that is a slice
// of an incident's text keeps the whole text in memory until the index is
// built, for every shard, which at 100,000 incidents was 380 MB.
func TestWordsHoldNoText(t *testing.T) {
	_, _, sb := testBuilder(t, defaultLayout)
	text := strings.Repeat("replica lag grew while the primary was failing over ", 50)
	docs := []*Document{{ID: "a", Title: "Replica lag", Sections: []Section{{Title: "Impact", Text: text}}}}
	if _, err := sb.build(docs); err != nil {
		t.Fatal(err)
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	end := start + uintptr(len(text))
	words := sb.words()
	if len(words) < 5 {
		t.Fatalf("words = %q, want the text's", words)
	}
	for _, w := range words {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(w))); p >= start && p < end {
			t.Errorf("word %q is a slice of the text", w)
		}
	}
}
