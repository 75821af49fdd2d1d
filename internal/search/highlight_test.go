package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// fragmentsByScan is fragments as first written: every window counts
// its matches by scanning them all. It is the reference the windowed
// count must agree with.
func fragmentsByScan(text string, spans []span) []string {
	if text == "" {
		return nil
	}
	if len(spans) == 0 {
		start, end := window(text, 0)
		return []string{markup(text, start, end, nil)}
	}
	type win struct{ start, end, terms, hits int }
	var picked []win
	for range fragmentCount {
		var best *win
		for _, sp := range spans {
			start, end := window(text, sp.start-fragmentLead)
			if slices.ContainsFunc(picked, func(w win) bool { return start < w.end && w.start < end }) {
				continue
			}
			terms := map[int32]bool{}
			hits := 0
			for _, o := range spans {
				if o.start >= start && o.end <= end {
					terms[o.term] = true
					hits++
				}
			}
			w := win{start, end, len(terms), hits}
			if best == nil || w.terms > best.terms || w.terms == best.terms && w.hits > best.hits {
				best = &w
			}
		}
		if best == nil || best.hits == 0 {
			break
		}
		picked = append(picked, *best)
	}
	slices.SortFunc(picked, func(a, b win) int { return cmp.Compare(a.start, b.start) })
	var out []string
	for _, w := range picked {
		out = append(out, markup(text, w.start, w.end, spans))
	}
	return out
}

// wordsAndSpans returns a text of n random words and the spans of the
// words that are one of the first k of the vocabulary.
func wordsAndSpans(r *rand.Rand, n, k int) (string, []span) {
	vocab := []string{"pool", "postgres", "café", "connections", "x", "replica", "the", "a", "of", "timeout", "déjà-vu", "lag"}
	var b strings.Builder
	var spans []span
	for i := range n {
		if i > 0 {
			b.WriteString([]string{" ", "  ", ", ", ". ", "\n"}[r.IntN(5)])
		}
		w := r.IntN(len(vocab))
		if w < k {
			spans = append(spans, span{b.Len(), b.Len() + len(vocab[w]), int32(w)})
		}
		b.WriteString(vocab[w])
	}
	return b.String(), spans
}

func TestFragmentsAgreeWithScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		text, spans := wordsAndSpans(r, 1+r.IntN(300), r.IntN(6))
		got, want := fragments(text, spans), fragmentsByScan(text, spans)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: text %q spans %v\n got %q\nwant %q", trial, text, spans, got, want)
		}
	}
}

// BenchmarkFragments: a long section in which the query matches nearly
// every word, the case that made fragments quadratic.
func BenchmarkFragments(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	text, spans := wordsAndSpans(r, 50000, 10)
	b.SetBytes(int64(len(text)))
	for range b.N {
		fragments(text, spans)
	}
}
