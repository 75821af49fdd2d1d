package rst

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/markup"
)

// The model holds no control characters, whether written raw or named by
// a unicode substitution.
func TestControlsDropped(t *testing.T) {
	src := "T\x1b]0;x\x07 title\n===============\n\n:systems: db\x07\n:summary: S\x1b[2J\n\nBody\x07 |e| |b|.\n\n.. |e| unicode:: U+001B\n.. |b| unicode:: 0x07\n\nImpact\x1b[31m\n-----------\n\nText.\n"
	d, err := New(markup.Limits{}).Read("a.rst", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var dump bytes.Buffer
	if err := markup.Dump(&dump, d); err != nil {
		t.Fatal(err)
	}
	s := dump.String()
	if strings.ContainsAny(s, "\x1b\x07") || strings.Contains(s, `\x1b`) || strings.Contains(s, `\a`) {
		t.Errorf("model holds controls:\n%s", s)
	}
	if !strings.Contains(s, "]0;x title") {
		t.Errorf("title lost its text:\n%s", s)
	}
}
