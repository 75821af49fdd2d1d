package search

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"testing"
	"time"
)

var layouts = flag.Bool("layouts", false, "measure index size for each layout (slow)")

// TestLayoutSizes measures what each choice of positions, stored text
// and document granularity costs. Run with
//
//	go test ./internal/search -run TestLayoutSizes -layouts -v
func TestLayoutSizes(t *testing.T) {
	if !*layouts {
		t.Skip("pass -layouts to measure")
	}
	variants := []struct {
		name       string
		l          layout
		perSection bool
	}{
		{"incident/positions+stored", layout{BodyPositions: true, BodyStored: true, Words: true, BM25: true}, false},
		{"incident/positions+stored-nowords", layout{BodyPositions: true, BodyStored: true, BM25: true}, false},
		{"incident/positions", layout{BodyPositions: true, Words: true, BM25: true}, false},
		{"incident/stored", layout{BodyStored: true, Words: true, BM25: true}, false},
		{"incident/lean", layout{Words: true, BM25: true}, false},
		{"section/positions+stored", layout{BodyPositions: true, BodyStored: true, Words: true, BM25: true}, true},
		{"section/stored", layout{BodyStored: true, Words: true, BM25: true}, true},
		{"section/lean", layout{Words: true, BM25: true}, true},
	}
	for _, n := range []int{1000} {
		docs := synthetic(n)
		var text int
		for _, d := range docs {
			for _, s := range d.Sections {
				text += len(s.Text)
			}
		}
		t.Logf("%d docs, %.1f MB of section text", n, float64(text)/1e6)
		for _, v := range variants {
			im, err := newMapping(v.l)
			if err != nil {
				t.Fatal(err)
			}
			var bd []bleveDoc
			for i := range docs {
				if v.perSection {
					bd = append(bd, perSectionDocs(&docs[i], v.l)...)
				} else {
					bd = append(bd, toBleve(&docs[i], v.l))
				}
			}
			start := time.Now()
			seg, err := buildSegment(t.TempDir(), im, bd, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%-36s %6d docs  build %6.2fs  raw %8.2f MB  gzip %7.2f MB",
				v.name, len(bd), time.Since(start).Seconds(), mb(len(seg)), mb(gzipLen(seg)))
		}
	}
}

// perSectionDocs splits an incident into one document per section,
// each carrying the incident's keyword fields, for comparison only.
func perSectionDocs(d *Document, l layout) []bleveDoc {
	whole := toBleve(d, l).fields.(*incidentFields)
	var out []bleveDoc
	for i, s := range d.Sections {
		f := *whole
		f.Heading = []string{s.Title}
		f.Body = []string{s.Text}
		if l.Words {
			f.Word = []string{d.Title, s.Title, s.Text}
		}
		if i > 0 {
			f.Summary = ""
		}
		out = append(out, bleveDoc{id: fmt.Sprintf("%s/%02d", d.ID, i), fields: &f})
	}
	return out
}

func mb(n int) float64 { return float64(n) / 1e6 }

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}
