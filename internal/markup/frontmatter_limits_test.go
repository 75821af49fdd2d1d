package markup

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Long lists are ordinary metadata; only nesting and alias expansion are
// limited, and each refusal points at its line with a hint.
func TestYAMLFrontMatterLimits(t *testing.T) {
	var list strings.Builder
	list.WriteString("---\ntitle: Many systems\nsystems:\n")
	for i := range 20000 {
		fmt.Fprintf(&list, "  - sys-%d\n", i)
	}
	list.WriteString("---\n# Body\n")

	deep := "---\ntitle: Deep\nx: " + strings.Repeat("[", 100) + "a" + strings.Repeat("]", 100) + "\n---\n"

	var laughs strings.Builder
	laughs.WriteString("---\ntitle: Laughs\nl0: &l0 lol\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&laughs, "l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d,", i-1), 10), ","))
	}
	laughs.WriteString("---\n")

	t.Run("20000 scalars", func(t *testing.T) {
		fm, err := SplitFrontMatter("f.md", []byte(list.String()))
		if err != nil {
			t.Fatal(err)
		}
		if len(fm.Fields) != 2 || fm.Fields[1].Key != "systems" {
			t.Fatalf("fields = %v", fm.Fields)
		}
		if n := len(fm.Fields[1].Value.([]any)); n != 20000 {
			t.Errorf("systems has %d values, want 20000", n)
		}
	})
	for _, tc := range []struct {
		name, src, text, hint string
		line                  int
	}{
		{"100 levels", deep, "nested more than 64 levels deep", "flatten", 3},
		{"billion laughs", laughs.String(), "aliases expand to more than 10000 values", "aliases (*name)", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SplitFrontMatter("f.md", []byte(tc.src))
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if !strings.Contains(me.Error(), tc.text) || !strings.HasPrefix(me.Error(), "f.md:") {
				t.Errorf("err = %q, want f.md:LINE: … %q", me, tc.text)
			}
			if me.Pos.Line < 2 || tc.line != 0 && me.Pos.Line != tc.line {
				t.Errorf("line = %d, want %d", me.Pos.Line, tc.line)
			}
			if !strings.Contains(me.Hint, tc.hint) {
				t.Errorf("hint = %q, want %q", me.Hint, tc.hint)
			}
		})
	}
}
