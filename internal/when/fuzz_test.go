package when

import (
	"strings"
	"testing"
)

// FuzzFind checks what must hold for any text: no panic; matches in order,
// not overlapping, inside the text and with a precision; Leading's rest a
// suffix of the text; Parse agreeing with its own span.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"2019-12-27 15:15 PT: fetch failing",
		"2019-12-27T15:15:00.5+02:00",
		"2016-12-23 11:50pm PST - 2016-12-24 6:30am PST",
		"2023-01-07 22:00 – 02:15 UTC",
		"March 3–5, 2024 and 3–5 March 2024",
		"Saturday, March 10, 2018 at approximately 01:55 (UTC+05:30)",
		"Feb 28th 01:52",
		"03-04-2024 - 05-04-2024",
		"Oct. 2024 / jan-2019 / 2019-jan / 2024-10",
		"v2.2019 10.0.0.1 0.6.dev020170821165952 123-2019-10-11-abc",
		"~(Wed, 2018-08-22) | x",
		"2019-03-28 (and the week thereof).",
		"5:00\u202fPM (BST)",
		"\xff2019-12-27\xc3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		opt := Options{}
		checkMatches(t, text, Find(text, opt))
		if m, rest, ok := Leading(text, opt); ok {
			if !strings.HasSuffix(text, rest) {
				t.Fatalf("Leading(%q): rest %q is not a suffix", text, rest)
			}
			checkMatches(t, text, []Match{m})
		}
		if m, ok := Parse(text, opt); ok {
			checkMatches(t, text, []Match{m})
		}
		if _, _, _, _, _, n, ok := TimeOfDay(text); ok && (n <= 0 || n > len(text)) {
			t.Fatalf("TimeOfDay(%q): n = %d", text, n)
		}
		Settle(Find(text, opt), nil)
	})
}
