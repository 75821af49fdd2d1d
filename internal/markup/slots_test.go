package markup

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/golden"
)

// relative is the slot rule the site uses: a destination that names a
// file beside the postmortem.
func relative(dest string) bool {
	p, ok := LocalPath(dest)
	return ok && p != ""
}

// elsewhere stands for the site's resolver: it moves every relative
// destination.
func elsewhere(dest string) string {
	if relative(dest) {
		return "../../incidents/" + strings.ToUpper(dest) + "/?a=1&b=\"2\""
	}
	return dest
}

// checkSlots fails unless rendering with slots and filling them gives the
// bytes of rendering with the resolver in one go.
func checkSlots(t *testing.T, d *Doc) {
	t.Helper()
	r := NewHTMLRenderer()
	want := r.Render(d, HTMLOptions{ResolveLink: elsewhere})
	h := r.RenderSlots(d, HTMLOptions{Slot: relative})
	if got := h.Fill(elsewhere); !bytes.Equal(got, want) {
		t.Fatalf("filled slots differ from rendering resolved:\n got %s\nwant %s", got, want)
	}
	if plain := r.Render(d, HTMLOptions{}); !bytes.Equal(h.Fill(nil), plain) {
		t.Fatalf("slots filled as written differ from rendering unresolved:\n got %s\nwant %s", h.Fill(nil), plain)
	}
}

func TestSlots(t *testing.T) {
	tests := []struct {
		name, src string
		slots     int
	}{
		{"none", "# T\n\nno links at all\n", 0},
		{"external only", "[a](https://example.com/x.md) [b](#frag) [c](mailto:a@b.c)\n", 0},
		{"relative", "[a](other.md) and [b](../up/x.rst#impact) ![i](img/a.png)\n", 3},
		{"same link twice", "[a](x.md) [a](x.md) [b](y.md)\n", 3},
		{"raw html unbalanced", "<div><b>open\n\n[a](x.md) <i>[b](y.md)\n\n</span></span>\n", 2},
		{"raw html with a marker in text", "<p>kb-slot-0. and kb&#45;slot-1. kb-slot-x0.</p>\n\n[a](x.md) <b>\n", 1},
		{"link inside raw formatting", "<b>[a](x.md)<p>[b](y.md)</b></p>\n", 2},
		{"footnote with a link", "text[^1]\n\n[^1]: see [x](x.md)\n", 1},
		{"escaped destination", "[a](<a b&c.md>) [q](x.md \"t'\")\n", 2},
	}
	md := NewMarkdown(Limits{})
	r := NewHTMLRenderer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := md.Read("f.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			h := r.RenderSlots(d, HTMLOptions{Slot: relative})
			if len(h.Slots) < tt.slots {
				t.Errorf("%d slots, want at least %d: %s", len(h.Slots), tt.slots, h.Bytes)
			}
			for _, s := range h.Slots {
				if s.At < 1 || s.At > len(h.Bytes) || h.Bytes[s.At-1] != '"' || h.Bytes[s.At] != '"' {
					t.Fatalf("slot %q at %d is not between the quotes of an attribute: %s", s.Dest, s.At, h.Bytes)
				}
			}
			checkSlots(t, d)
		})
	}
}

// A resolver with a bug that returns a URL a browser would run leaves
// the attribute empty: a slot's element is already written, so unlike a
// link resolved at once it cannot fall back to its text.
func TestSlotUnsafe(t *testing.T) {
	d, err := NewMarkdown(Limits{}).Read("f.md", []byte("[a](evil.md) then [b](fine.md)\n"))
	if err != nil {
		t.Fatal(err)
	}
	h := NewHTMLRenderer().RenderSlots(d, HTMLOptions{Slot: relative})
	got := string(h.Fill(func(dest string) string {
		if dest == "evil.md" {
			return "javascript:alert(1)"
		}
		return dest
	}))
	want := `<p><a href="">a</a> then <a href="fine.md">b</a></p>` + "\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzSlots checks, for any Markdown, that a body rendered with slots and
// filled later is the body rendered with its links resolved at once: the
// build renders each file as it reads it, before the other files are
// known, and must not change a byte of what the page shows.
func FuzzSlots(f *testing.F) {
	golden.Seeds(f, "testdata/markdown/*.txtar", ".md")
	f.Add([]byte("<a href=\"x.md\">[y](y.md)</a><table><b>[z](z.md)"))
	md := NewMarkdown(Limits{MaxDepth: 32})
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := md.Read("f.md", src)
		if err != nil {
			return
		}
		checkSlots(t, d)
	})
}
