package rst

import (
	"reflect"
	"testing"
)

func TestDirectiveCases(t *testing.T) { runCases(t, "directive") }

func TestDirectiveName(t *testing.T) {
	for _, c := range []struct {
		in   string
		name string
		end  int
		ok   bool
	}{
		{"note:: text", "note", 7, true},
		{"code-block:: yaml", "code-block", 13, true},
		{"py:function:: f", "py:function", 14, true},
		{"note ::", "note", 7, true},
		{"note::text", "", 0, false},
		{"not a directive", "", 0, false},
	} {
		name, end, ok := directiveName(c.in)
		if name != c.name || end != c.end || ok != c.ok {
			t.Errorf("directiveName(%q) = %q %d %v, want %q %d %v", c.in, name, end, ok, c.name, c.end, c.ok)
		}
	}
}

func TestSplitN(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want []string
	}{
		{"a b c", 1, []string{"a b c"}},
		{"a b  c", 2, []string{"a", "b  c"}},
		{"  a\nb ", 2, []string{"a", "b"}},
	} {
		if got := splitN(c.in, c.n); !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitN(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
