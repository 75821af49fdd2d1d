package search

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Each text of a shard is tokenized once, by the stored-text builder,
// and what it found feeds the segment and the lexicon too. Tokenizing
// was the largest cost of a build (every text went through the unicode
// word segmenter three times: bleve's analysis, the stored text, the
// lexicon), so bleve's builder is given an analyzer that answers from
// the stored text's tokens instead of segmenting again.
//
// The tokens it returns are the ones the index's own analyzer would:
// the same words at the same offsets and positions, each word's term
// computed by the same token filters (memoized per word, which is
// exact because those filters look at one token at a time), and stop
// words dropped without renumbering. TestPretokenizedSegment holds the
// segments built both ways to the same bytes.
//
// The analyzer is only ever in the mapping the builder uses; the
// mapping shipped to the browser names the index's own analyzer, which
// queries are analyzed with.

// pretokenizedType is the analyzer type registered with bleve, and
// analyzerPre the name the build mapping gives it.
const (
	pretokenizedType = "kb_pretokenized"
	analyzerPre      = "kb_pre"
)

// pretokenized answers Analyze from a shard's stored-text builder. It is
// read-only once the builder has seen every document, so the segment
// builder may call it from several goroutines.
type pretokenized struct {
	sb       *storeBuilder
	fallback analysis.Analyzer // for a text the builder did not see
}

func (p *pretokenized) Analyze(input []byte) analysis.TokenStream {
	t, ok := p.sb.texts[string(input)]
	if !ok {
		return p.fallback.Analyze(input)
	}
	tokens := make([]analysis.Token, 0, len(t.words))
	at := 0
	for i, w := range t.words {
		at += len(t.seps[i])
		if term := p.sb.termBytes[w]; term != nil {
			tokens = append(tokens, analysis.Token{
				Term: term, Start: at, End: at + len(w), Position: i + 1, Type: t.types[i],
			})
		}
		at += len(w)
	}
	ts := make(analysis.TokenStream, len(tokens))
	for i := range tokens {
		ts[i] = &tokens[i]
	}
	return ts
}

// registerPretokenized adds the analyzer type to bleve's process-wide
// registry once; each build mapping then defines one of its own, bound
// to its shard's builder through the definition's config.
var registerPretokenized = sync.OnceFunc(func() {
	err := registry.RegisterAnalyzer(pretokenizedType, func(config map[string]any, _ *registry.Cache) (analysis.Analyzer, error) {
		p, ok := config["analyzer"].(*pretokenized)
		if !ok {
			return nil, fmt.Errorf("analyzer %s: no stored-text builder in its config", pretokenizedType)
		}
		return p, nil
	})
	if err != nil {
		panic(err) // only if another package took the name
	}
})
