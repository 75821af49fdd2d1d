package search

import (
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// Each text of a shard is tokenized once, by the stored-text builder,
// and what it found feeds the segment and the lexicon too. Tokenizing
// was the largest cost of a build (every text went through the unicode
// word segmenter three times: bleve's analysis, the stored text, the
// lexicon), and after it came bleve turning every token into a map
// entry, once per section and again to merge the sections of a field.
// So the segment's text fields reach zap already analyzed: bleve maps
// the document as usual, then each text field is replaced by a
// preField that carries its length and term frequencies, counted from
// the stored text's word numbers, and whose Analyze does nothing.
//
// The result is what bleve's own analysis gives: the same terms with
// the same frequencies and field lengths. A word's term comes from the
// same token filters, memoized per word, which is exact because those
// filters look at one token at a time; stop words count in neither.
// The sections of a field are counted together into its first value,
// which is what zap does with them anyway when the field keeps no
// positions. TestPretokenizedSegment holds the segments built both ways
// to the same bytes.

// preText is the analysis of one text field of an incident: all its
// values together.
type preText struct {
	length int
	freqs  index.TokenFrequencies
}

// analyzed returns what bleve's analysis of texts, the values of one
// field, amounts to once zap has merged them.
func (b *storeBuilder) analyzed(texts []*tokenized) preText {
	if len(b.count) < len(b.termStr) {
		b.count = make([]int32, len(b.termStr))
	}
	touched := b.touched[:0]
	length := 0
	for _, t := range texts {
		for _, w := range t.words {
			term := b.wordTerm[w]
			if term < 0 {
				continue
			}
			length++
			if b.count[term] == 0 {
				touched = append(touched, term)
			}
			b.count[term]++
		}
	}
	freqs := make(index.TokenFrequencies, len(touched))
	slab := make([]index.TokenFreq, len(touched))
	for i, term := range touched {
		tf := &slab[i]
		tf.Term = b.termBytes[term]
		tf.SetFrequency(int(b.count[term]))
		freqs[b.termStr[term]] = tf
		b.count[term] = 0
	}
	b.touched = touched
	return preText{length: length, freqs: freqs}
}

// preAnalyze returns the analysis of the text fields of the i-th
// document of the last build, by field name.
func (b *storeBuilder) preAnalyze(i int) map[string]preText {
	texts := b.docTexts[i]
	n := (len(texts) - 2) / 2
	pre := map[string]preText{
		fieldTitle:   b.analyzed(texts[textTitle : textTitle+1]),
		fieldSummary: b.analyzed(texts[textSummary : textSummary+1]),
	}
	if n > 0 {
		pre[fieldHeading] = b.analyzed(texts[2 : 2+n])
		pre[fieldBody] = b.analyzed(texts[2+n:])
	}
	return pre
}

// preField is a text field whose analysis was done before bleve saw it.
type preField struct {
	*document.TextField
	preText
}

func (f *preField) Analyze()                                         {}
func (f *preField) AnalyzedLength() int                              { return f.length }
func (f *preField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// usePre replaces the text fields of doc named in pre by their
// analysis: the first value of each field carries it, further values
// of the same field (more sections) carry nothing.
func usePre(doc *document.Document, pre map[string]preText) error {
	used := make(map[string]bool, len(pre))
	for i, f := range doc.Fields {
		tf, ok := f.(*document.TextField)
		if !ok {
			continue
		}
		p, ok := pre[tf.Name()]
		if !ok {
			continue
		}
		if o := tf.Options(); o.IncludeTermVectors() || o.IncludeDocValues() || o.SkipFreqNorm() {
			return fmt.Errorf("field %s: options %v need bleve's own analysis", tf.Name(), o)
		}
		if used[tf.Name()] {
			p = preText{}
		}
		used[tf.Name()] = true
		doc.Fields[i] = &preField{TextField: tf, preText: p}
	}
	if len(used) != len(pre) {
		return errors.New("document lacks a text field it was analyzed for")
	}
	return nil
}
