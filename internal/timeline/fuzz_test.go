package timeline_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

// FuzzEvents reads Markdown timelines: Events must not panic, must keep
// the author's order, and must never give an event told in order an
// offset before the first time.
func FuzzEvents(f *testing.F) {
	for _, s := range []string{
		"---\ndate: 2023-01-07\n---\n# A\n\n## Timeline\n\n- **14:05** one\n- 14:10 UTC: two @ana\n- 00:15 three\n",
		"# A\n\n## Timeline\n\nAll times in PST\n\n### 2017-10-17 07:42\n\nx\n\n### 08:47\n\ny\n\n### 2017-10-18\n\nz\n",
		"# A\n\n## Timeline\n\n| Date | Time (CET) | Event |\n|---|---|---|\n| 2023-02-14 | 10:29 | a |\n| | 24:00 | b |\n",
		"---\ndate: 2022-12-18\n---\n# A\n\n## Timeline\n\n- Dec 17th **22:XX** x\n- Dec 31st 23:10 y\n- Jan 1st 00:10 z\n",
		"---\ndate: 2023-01\n---\n# A\n\n## Timeline\n\n2023-01-07 14:05 – a\nmore a\n14:02 b\n~13:30-13:45 c\n19. April, 11:00 d\n",
		"# A\n\n## Timeline\n\n- 14:05\n\n  @ana\n  text\n\n  - 14:07 nested\n\n> 15:00 quoted\n\n```\n16:00 code\n```\n",
		"---\ndate: 2023-03-02\n---\n# A\n\n## Timeline\n\n* 12:43 PM a\n* 1:05 p.m. b, resolved\n* 11:00 PM c\n* 6:00 AM d\n",
	} {
		f.Add(s)
	}
	r := markup.NewMarkdown(markup.Limits{})
	cfg, err := incident.Config{Location: time.UTC}.Compile()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := r.Read("fuzz.md", []byte(src))
		if err != nil {
			return
		}
		inc, _ := incident.Extract(d, "fuzz.md", cfg)
		if inc == nil {
			return
		}
		evs, warns := timeline.Events(inc, timeline.Options{Location: time.FixedZone("X", 3600)})
		line := 0
		for i, e := range evs {
			if e.Pos.Line < line {
				t.Errorf("event %d (%q) at line %d, after one at line %d", i, e.Text, e.Pos.Line, line)
			}
			line = e.Pos.Line
			if e.HasOffset && e.Offset < 0 && !e.OutOfOrder {
				t.Errorf("event %d (%q, %s): offset %v but not out of order", i, e.Text, e.At, e.Offset)
			}
			if e.HasOffset && e.At.Precision != when.Minute {
				t.Errorf("event %d (%q): an offset for a %s date", i, e.Text, e.At.Precision)
			}
			if e.Clock != "" && !e.At.IsZero() {
				t.Errorf("event %d (%q): both a clock %q and a date %s", i, e.Text, e.Clock, e.At)
			}
			if strings.ContainsAny(e.Text, "\n\t") {
				t.Errorf("event %d: text %q has line breaks", i, e.Text)
			}
		}
		for _, w := range warns {
			if w.Message == "" || w.Pos.File != "fuzz.md" {
				t.Errorf("warning %+v has no message or no file", w)
			}
		}
	})
}
