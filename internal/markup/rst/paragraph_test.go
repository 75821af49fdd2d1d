package rst

import "testing"

func TestParagraphCases(t *testing.T) { runCases(t, "paragraph") }

func TestEvenBackslashes(t *testing.T) {
	for s, want := range map[string]bool{"text": true, `text\`: false, `text\\`: true, `\\\`: false} {
		if got := evenBackslashes(s); got != want {
			t.Errorf("evenBackslashes(%q) = %v, want %v", s, got, want)
		}
	}
}
