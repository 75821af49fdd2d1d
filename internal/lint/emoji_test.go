package lint

import (
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/markup/rst"
)

// TestEmojiHeadings checks that a heading whose shortcode the reader has
// made an emoji still names its section, in both formats: "## :fire:
// Impact" is the impact section, whether it says something or not.
func TestEmojiHeadings(t *testing.T) {
	readers := map[string]markup.Reader{".md": markup.NewMarkdown(markup.Limits{}), ".rst": rst.New(markup.Limits{})}
	for _, c := range []struct {
		name, src string
		want      []string // findings, as format prints them
	}{
		{
			name: "2024-01-02-a.md",
			src:  "# A\n\n## :fire: Impact\n\nAll of checkout.\n\n## :mag: Root cause\n\nA bad deploy.\n\n## :white_check_mark: Action items\n\n- [ ] Roll back faster\n",
		},
		{
			name: "2024-01-02-b.md",
			src:  "# B\n\n## :fire: Impact\n\nTBD\n\n## :mag: Root cause\n\nA bad deploy.\n\n## :white_check_mark: Action items\n\n- [ ] Roll back faster\n",
			want: []string{"content/2024-01-02-b.md:3 error section-empty"},
		},
		{
			name: "2024-01-02-c.rst",
			src:  "C\n=\n\nImpact :fire:\n-------------\n\nAll of checkout.\n\nRoot cause :mag:\n----------------\n\nA bad deploy.\n\nAction items :white_check_mark:\n-------------------------------\n\n- Roll back faster\n",
		},
		{
			name: "2024-01-02-d.rst",
			src:  "D\n=\n\nImpact :fire:\n-------------\n\nTBD\n\nRoot cause :mag:\n----------------\n\nA bad deploy.\n\nAction items :white_check_mark:\n-------------------------------\n\n- Roll back faster\n",
			want: []string{"content/2024-01-02-d.rst:4 error section-empty"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := readers[c.name[strings.LastIndexByte(c.name, '.'):]]
			d, err := r.Read("content/"+c.name, []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			inc, err := incident.Extract(d, c.name, incident.Config{Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			cfg := Default()
			cfg.Recommended = nil
			ds, err := Check(Input{Incidents: []*incident.Incident{inc}}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := format(ds); strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s\n(%v)", strings.Join(got, "\n"), strings.Join(c.want, "\n"), ds)
			}
		})
	}
}
