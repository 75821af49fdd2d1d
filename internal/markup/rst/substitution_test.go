package rst

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/markup"
)

func TestSubstitutionCases(t *testing.T) { runCases(t, "substitution") }

func TestUnicodeCode(t *testing.T) {
	for in, want := range map[string]string{"U+2014": "—", "0x2014": "—", "x2014": "—", "\\u2014": "—", "&#x2014;": "—", "169": "©"} {
		if got, ok := unicodeCode(in); !ok || got != want {
			t.Errorf("unicodeCode(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := unicodeCode("zz"); ok {
		t.Errorf("unicodeCode accepted zz")
	}
}

// TestSubstitutionBlowup defines substitutions that double at each level:
// expansion must stop at the depth and size limits, quickly.
func TestSubstitutionBlowup(t *testing.T) {
	var b strings.Builder
	b.WriteString("|s0|\n\n")
	for i := 0; i < 40; i++ {
		b.WriteString(".. |s" + strconv.Itoa(i) + "| replace:: |s" + strconv.Itoa(i+1) + "| |s" + strconv.Itoa(i+1) + "|\n")
	}
	b.WriteString(".. |s40| replace:: leaf\n")
	var d *markup.Doc
	var err error
	// Doubling forty times would be 2^40 copies; the limits stop it
	// early, which shows in what is allocated (counted, not timed).
	n := allocated(func() { d, err = New(markup.Limits{}).Read("blowup.rst", []byte(b.String())) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes allocated", n)
	if n > 64<<20 {
		t.Errorf("nested substitutions allocated %d bytes", n)
	}
	if len(d.Warnings) == 0 {
		t.Errorf("no warning for substitutions nested too deeply")
	}
}
