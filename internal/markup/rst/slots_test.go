package rst

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/golden"
	"github.com/kb-postmortems/kb/internal/markup"
)

// relative is the slot rule the site uses for links to other files.
func relative(dest string) bool {
	p, ok := markup.LocalPath(dest)
	return ok && p != ""
}

func moved(dest string) string {
	if relative(dest) {
		return "../../incidents/" + strings.ToUpper(dest) + "/"
	}
	return dest
}

// FuzzSlots checks, for any RST, that a body rendered with its links to
// other files left as slots and filled later is the body rendered with
// those links resolved at once: raw HTML, which is re-balanced, included.
func FuzzSlots(f *testing.F) {
	golden.Seeds(f, "testdata/*.txtar", ".rst")
	f.Add([]byte("See `the other one <other.rst>`_ and |img|.\n\n.. |img| image:: pics/a.png\n\n.. raw:: html\n\n   <div><b>open\n\n`again <x.rst#impact>`_\n"))
	r := New(markup.Limits{MaxDepth: 16})
	html := markup.NewHTMLRenderer()
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := r.Read("f.rst", src)
		if err != nil {
			return
		}
		want := html.Render(d, markup.HTMLOptions{ResolveLink: moved})
		got := html.RenderSlots(d, markup.HTMLOptions{Slot: relative}).Fill(moved)
		if !bytes.Equal(got, want) {
			t.Fatalf("filled slots differ from rendering resolved:\n got %s\nwant %s", got, want)
		}
	})
}

// Links to other files in RST (a named reference, a substitution image, a
// link after raw HTML) become slots, between an attribute's quotes.
func TestSlots(t *testing.T) {
	src := "See `the other one <other.rst>`_ and |img|.\n\n.. |img| image:: pics/a.png\n\n.. raw:: html\n\n   <div><b>open\n\n`again <x.rst#impact>`_ and https://example.com/\n"
	d, err := New(markup.Limits{}).Read("f.rst", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	h := markup.NewHTMLRenderer().RenderSlots(d, markup.HTMLOptions{Slot: relative})
	var dests []string
	for _, s := range h.Slots {
		dests = append(dests, s.Dest)
		if h.Bytes[s.At-1] != '"' || h.Bytes[s.At] != '"' {
			t.Errorf("slot %q is not between quotes", s.Dest)
		}
	}
	if got := strings.Join(dests, " "); got != "other.rst pics/a.png x.rst#impact" {
		t.Errorf("slots %q, want other.rst pics/a.png x.rst#impact", got)
	}
}
