package rst

import "testing"

func TestSectionCases(t *testing.T) { runCases(t, "section") }

// TestColumnWidth checks widths against docutils' column_width, which
// decides whether an adornment is long enough.
func TestColumnWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"Leadup", 6},
		{"⚠️ Leadup", 9},
		{"🥏 Impact", 9},
		{"🙋🏿♂️ Response", 15},
		{"👁️ Detection", 12},
		{"e\u0301", 1},
		{"障害報告", 8},
	} {
		if got := columnWidth(c.s); got != c.want {
			t.Errorf("columnWidth(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestIsLineMarker(t *testing.T) {
	for s, want := range map[string]bool{"====": true, "-": true, "::": true, "=-=": false, "": false, "aaaa": false, "~~~~~~~": true} {
		if got := isLineMarker(s); got != want {
			t.Errorf("isLineMarker(%q) = %v, want %v", s, got, want)
		}
	}
}
