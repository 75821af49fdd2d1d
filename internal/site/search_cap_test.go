package site

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
)

// The index takes at most MaxSearchText of one incident's text, cut
// between words, and says where the rest begins; other incidents are
// taken whole.
func TestSearchTextCap(t *testing.T) {
	big := strings.Repeat("pod évicted ", MaxSearchText/12/3+1) // a third of the cap, and a bit
	pos := func(line int) markup.Pos { return markup.Pos{File: "content/dump.md", Line: line, Col: 1} }
	dump := &incident.Incident{ID: "dump", Doc: &markup.Doc{Path: "content/dump.md"}, Body: incident.Body{Intro: "short intro"},
		Sections: []*incident.Section{
			{Title: "One", Text: big, Pos: pos(3)},
			{Title: "Two", Text: big, Pos: pos(5), Sections: []*incident.Section{{Title: "Three", Text: big, Pos: pos(7)}}},
			{Title: "Four", Text: "never searched", Pos: pos(9)},
		}}
	small := &incident.Incident{ID: "small", Doc: &markup.Doc{Path: "content/small.md"}, Body: incident.Body{Intro: "all of it"},
		Sections: []*incident.Section{{Title: "Impact", Text: "everything", Pos: markup.Pos{File: "content/small.md", Line: 2}}}}
	dumpSecs, warns := searchSections(dump)
	smallSecs, smallWarns := searchSections(small)
	n := 0
	for _, s := range dumpSecs {
		n += len(s.Text) + len(s.Title)
		if !utf8.ValidString(s.Text) {
			t.Errorf("section %q cut inside a character", s.Title)
		}
		if s.Title == "Four" {
			t.Errorf("a section after the cut was indexed")
		}
	}
	if n > MaxSearchText || n < MaxSearchText-100 {
		t.Errorf("%d bytes of text indexed, want just under %d", n, MaxSearchText)
	}
	last := dumpSecs[len(dumpSecs)-1]
	if last.Title != "Three" || !strings.HasPrefix(big, last.Text) || big[len(last.Text)] != ' ' {
		t.Errorf("last section %q ends %q, want Three cut at the end of a word", last.Title, last.Text[max(0, len(last.Text)-20):])
	}
	if len(warns) != 1 || warns[0].Pos != pos(7) || !strings.Contains(warns[0].Message, "1 MB") {
		t.Fatalf("warnings = %v, want one at the section where the text is cut", warns)
	}
	if len(smallWarns) != 0 || len(smallSecs) != 2 || smallSecs[0].Text != "all of it" || smallSecs[1].Text != "everything" {
		t.Errorf("a small incident was not taken whole: %+v, %v", smallSecs, smallWarns)
	}
}
