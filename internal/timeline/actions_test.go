package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/markup/rst"
)

// wantAction is what a test expects of one action; Pos is not compared
// here (TestActionPositions does).
type wantAction struct {
	Text, State, Owner, Ticket string
	Group, Detail              string
	Tags                       []string
}

func (w wantAction) String() string {
	return fmt.Sprintf("{%q %s owner=%q ticket=%q group=%q detail=%q tags=%q}", w.Text, w.State, w.Owner, w.Ticket, w.Group, w.Detail, w.Tags)
}

func gotAction(a Action) wantAction {
	return wantAction{a.Text, a.State, a.Owner, a.Ticket, a.Group, a.Detail, a.Tags}
}

// actionsOf reads src as a postmortem named name (".md" or ".rst") and
// returns its actions.
func actionsOf(t testing.TB, name, src string) []Action {
	t.Helper()
	var rd markup.Reader = markup.NewMarkdown(markup.Limits{})
	if strings.HasSuffix(name, ".rst") {
		rd = rst.New(markup.Limits{})
	}
	d, err := rd.Read(name, []byte(src))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	inc, err := incident.Extract(d, name, incident.Config{Location: time.UTC})
	if err != nil {
		t.Fatalf("extract %s: %v", name, err)
	}
	return Actions(inc)
}

func TestActions(t *testing.T) {
	const md = "# Queue backlog\n\n## Impact\n\nImports lagged for two hours.\n\n"
	const rstHead = "Queue backlog\n=============\n\nImpact\n------\n\nImports lagged for two hours.\n\n"
	cases := []struct {
		name, file, src string
		want            []wantAction
	}{
		{
			name: "task list",
			file: "pm.md",
			src: md + "## Action items\n\n" +
				"- [ ] Add a disk-usage alert for the primary @rhea\n" +
				"- [x] Rotate the leaked deploy token ([OPS-214](https://tracker.example.com/browse/OPS-214))\n" +
				"- [X] Remove the debug flag from the importer\n",
			want: []wantAction{
				{Text: "Add a disk-usage alert for the primary", State: Open, Owner: "rhea"},
				{Text: "Rotate the leaked deploy token", State: Done, Ticket: "https://tracker.example.com/browse/OPS-214"},
				{Text: "Remove the debug flag from the importer", State: Done},
			},
		},
		{
			name: "ballot boxes and marks",
			file: "pm.md",
			src: md + "## Follow-up tasks\n\n" +
				"- ☐ Page on replication lag over a minute\n" +
				"- ☒ Raise max_connections to 300\n" +
				"- ☑️ Write the failover runbook\n" +
				"- ✅ Pin the base image\n" +
				"- ✔ Drop the unused index\n",
			want: []wantAction{
				{Text: "Page on replication lag over a minute", State: Open},
				{Text: "Raise max_connections to 300", State: Done},
				{Text: "Write the failover runbook", State: Done},
				{Text: "Pin the base image", State: Done},
				{Text: "Drop the unused index", State: Done},
			},
		},
		{
			name: "state words",
			file: "pm.md",
			src: md + "## Action items\n\n" +
				"- TODO: Move the cron jobs to systemd timers\n" +
				"- DONE: Rotate the signing keys\n" +
				"- Done - Split the importer into two workers\n" +
				"- Migrate the queue to the new cluster (DONE)\n" +
				"- Review the retry budget [todo]\n" +
				"- TODO\n" +
				"- N/A\n" +
				"- Done deals are not states: plain text here\n",
			want: []wantAction{
				{Text: "Move the cron jobs to systemd timers", State: Open},
				{Text: "Rotate the signing keys", State: Done},
				{Text: "Split the importer into two workers", State: Done},
				{Text: "Migrate the queue to the new cluster", State: Done},
				{Text: "Review the retry budget", State: Open},
				{Text: "Done deals are not states: plain text here", State: Unknown},
			},
		},
		{
			name: "owners",
			file: "pm.md",
			src: md + "## Action items\n\n" +
				"1. Add a circuit breaker to the billing client (owner: Mara)\n" +
				"2. Owner: @lee - Document the restore drill\n" +
				"3. Shorten the DNS TTL — Dana Scully\n" +
				"4. `@ivo` and `@noor` pair on the schema change\n" +
				"5. Write alerts for queue depth @sam @tess\n" +
				"6. Ask ops@example.com for a quota bump\n" +
				"7. Sync the rollout plan with @rosa\n",
			want: []wantAction{
				{Text: "Add a circuit breaker to the billing client", State: Unknown, Owner: "Mara"},
				{Text: "Document the restore drill", State: Unknown, Owner: "lee"},
				{Text: "Shorten the DNS TTL", State: Unknown, Owner: "Dana Scully"},
				{Text: "@ivo and @noor pair on the schema change", State: Unknown, Owner: "ivo"},
				{Text: "Write alerts for queue depth", State: Unknown, Owner: "sam"},
				{Text: "Ask ops@example.com for a quota bump", State: Unknown},
				{Text: "Sync the rollout plan with @rosa", State: Unknown, Owner: "rosa"},
			},
		},
		{
			name: "tickets",
			file: "pm.md",
			src: md + "## Action items\n\n" +
				"- Cap importer batch size [Issue](https://github.com/acme/importer/issues/31).\n" +
				"- Retry uploads ([pull request](https://github.com/acme/uploader/pull/7))\n" +
				"- Fix the [flaky check](https://gitlab.example.com/ops/ci/-/merge_requests/52) before the next release\n" +
				"- Track queue age in the dashboard (https://linear.app/acme/issue/ENG-9/queue-age)\n" +
				"- Budget for a second region, see OPS-77\n" +
				"- OPS-78: Drain the old nodes\n" +
				"- Move the status page off our own cluster (#42)\n" +
				"- [Read the vendor's limits page](https://vendor.example.com/docs/limits)\n" +
				"- Adopt the approach the [vendor guide](https://vendor.example.com/guide) describes for staged rollouts of the proxy config across every region, which takes longer but lets us stop halfway\n" +
				"- Switch the exports to UTF-8 everywhere\n" +
				"- Add an index (currently blocked on [#12](https://github.com/acme/db/issues/12))\n",
			want: []wantAction{
				{Text: "Cap importer batch size.", State: Unknown, Ticket: "https://github.com/acme/importer/issues/31"},
				{Text: "Retry uploads", State: Unknown, Ticket: "https://github.com/acme/uploader/pull/7"},
				{Text: "Fix the flaky check before the next release", State: Unknown, Ticket: "https://gitlab.example.com/ops/ci/-/merge_requests/52"},
				{Text: "Track queue age in the dashboard", State: Unknown, Ticket: "https://linear.app/acme/issue/ENG-9/queue-age"},
				{Text: "Budget for a second region, see OPS-77", State: Unknown, Ticket: "OPS-77"},
				{Text: "Drain the old nodes", State: Unknown, Ticket: "OPS-78"},
				{Text: "Move the status page off our own cluster", State: Unknown, Ticket: "#42"},
				{Text: "Read the vendor's limits page", State: Unknown, Ticket: "https://vendor.example.com/docs/limits"},
				{Text: "Adopt the approach the vendor guide describes for staged rollouts of the proxy config across every region, which takes longer but lets us stop halfway", State: Unknown},
				{Text: "Switch the exports to UTF-8 everywhere", State: Unknown},
				{Text: "Add an index (currently blocked on #12)", State: Unknown, Ticket: "https://github.com/acme/db/issues/12"},
			},
		},
		{
			name: "table",
			file: "pm.md",
			src: md + "## Corrective actions\n\nWe will do the following:\n\n" +
				"| Action | Owner | Due date | Status | Ticket |\n" +
				"|---|---|---|---|---|\n" +
				"| Turn on the host firewall everywhere | @kim | 2024-03-02 | Done | [SEC-4](https://tracker.example.com/browse/SEC-4) |\n" +
				"| Bind the cache to private addresses | Ola | 2024-03-09 | In progress | SEC-5 |\n" +
				"| Audit open ports weekly | — | 2024-03-30 | To Do | |\n" +
				"| Review exposure of the metrics port | | | blocked on vendor | |\n" +
				"| Write the security notice | | | ✅ | |\n" +
				"| Decide on a WAF | | | maybe | |\n" +
				"| TBD | | | | |\n",
			want: []wantAction{
				{Text: "Turn on the host firewall everywhere", State: Done, Owner: "kim", Ticket: "https://tracker.example.com/browse/SEC-4"},
				{Text: "Bind the cache to private addresses", State: Open, Owner: "Ola", Ticket: "SEC-5"},
				{Text: "Audit open ports weekly", State: Open},
				{Text: "Review exposure of the metrics port", State: Open},
				{Text: "Write the security notice", State: Done},
				{Text: "Decide on a WAF", State: Unknown},
			},
		},
		{
			name: "table with a done column and checkboxes in the text",
			file: "pm.md",
			src: md + "## Action items\n\n" +
				"| Done? | Item | Assignee |\n|---|---|---|\n" +
				"| yes | Add a canary stage | Pia |\n" +
				"| no | Add load tests @quinn | |\n" +
				"| | ☐ Tune the autoscaler | |\n",
			want: []wantAction{
				{Text: "Add a canary stage", State: Done, Owner: "Pia"},
				{Text: "Add load tests", State: Open, Owner: "quinn"},
				{Text: "Tune the autoscaler", State: Open},
			},
		},
		{
			name: "numbered headings with a paragraph under them",
			file: "pm.md",
			src: md + "## Resulting action\n\n" +
				"### 1) Throttle the importer @kai [mitigate]\n\nLimit it to 50 rows a second.\n\n```sh\nimporter --rate 50\n```\n\n" +
				"### 2) TODO Alert on queue depth\n\nTracked in [#88](https://github.com/acme/ops/issues/88); `@uma` has a draft.\n\n" +
				"### 3) Postmortem written\n",
			want: []wantAction{
				{Text: "Throttle the importer", State: Unknown, Owner: "kai", Tags: []string{"mitigate"}, Detail: "Limit it to 50 rows a second."},
				{Text: "Alert on queue depth", State: Open, Owner: "uma", Ticket: "https://github.com/acme/ops/issues/88", Detail: "Tracked in #88; @uma has a draft."},
				{Text: "Postmortem written", State: Unknown},
			},
		},
		{
			name: "groups, nested lists and sections that are not actions",
			file: "pm.md",
			src: md + "## Action items\n\nEvery item should get an issue.\n\n" +
				"### Database\n\n1. Add a read replica ([issue](https://github.com/acme/db/issues/12))\n" +
				"2. Split the hot table\n   - by tenant first\n   - then by month\n\n" +
				"### Proxy\n\nRaise the proxy's memory limit ([link](https://github.com/acme/proxy/issues/3)).\n\n" +
				"### What went wrong\n\n- We paged the wrong team\n\n" +
				"### Investigation\n\nThe cause still looks like a leak, but we are not sure.\n\n" +
				"### 4. Process\n\n- Write down who is on call\n",
			want: []wantAction{
				{Text: "Add a read replica", State: Unknown, Ticket: "https://github.com/acme/db/issues/12", Group: "Database"},
				{Text: "Split the hot table by tenant first then by month", State: Unknown, Group: "Database"},
				{Text: "Raise the proxy's memory limit.", State: Unknown, Ticket: "https://github.com/acme/proxy/issues/3", Group: "Proxy"},
				{Text: "Write down who is on call", State: Unknown, Group: "Process"},
			},
		},
		{
			name: "paragraphs that read as items",
			file: "pm.md",
			src: md + "## Next steps\n\n" +
				"☐ Add a disk alert\n☒ Grow the volume to 2 TB\n\n" +
				"TODO: Automate the volume growth @vic\n\n" +
				"It should run before the disk is 80% full.\n\n" +
				"*Add more as they come up.*\n",
			want: []wantAction{
				{Text: "Add a disk alert", State: Open},
				{Text: "Grow the volume to 2 TB", State: Done},
				{Text: "Automate the volume growth", State: Open, Owner: "vic", Detail: "It should run before the disk is 80% full."},
			},
		},
		{
			name: "a section of prose only",
			file: "pm.md",
			src: md + "## Corrective actions\n\n" +
				"*What will we change?*\n\n" +
				"What will we change so this does not happen again? One owner per item.\n\n" +
				"We will move the certificates to automatic renewal.\n\n" +
				"See [the change](https://git.example.com/ops/commit/abc123).\n",
			want: []wantAction{
				{Text: "We will move the certificates to automatic renewal.", State: Unknown},
				{Text: "See the change.", State: Unknown, Ticket: "https://git.example.com/ops/commit/abc123"},
			},
		},
		{
			name: "rst bullets with ballot boxes and brackets",
			file: "pm.rst",
			src: rstHead + "Follow-up tasks\n---------------\n\n*List the tasks.*\n\n" +
				"- ☒ Back up the database nightly\n" +
				"- ☐ Alert when a backup is\n  older than a day\n" +
				"- [ ] Document the failover\n" +
				"- [x] Add a canary — Ines Roth\n" +
				"- `Open the vendor ticket <https://support.example.com/tickets/4411>`__\n",
			want: []wantAction{
				{Text: "Back up the database nightly", State: Done},
				{Text: "Alert when a backup is older than a day", State: Open},
				{Text: "Document the failover", State: Open},
				{Text: "Add a canary", State: Done, Owner: "Ines Roth"},
				{Text: "Open the vendor ticket", State: Unknown, Ticket: "https://support.example.com/tickets/4411"},
			},
		},
		{
			name: "rst continuation indented by one space",
			file: "pm.rst",
			src: rstHead + "Follow-up tasks\n---------------\n\n" +
				"- ☐ Log each failed sync (we had\n no sign of it anywhere)\n" +
				"- ☒ Batch the sync requests\n",
			want: []wantAction{
				{Text: "Log each failed sync (we had no sign of it anywhere)", State: Open},
				{Text: "Batch the sync requests", State: Done},
			},
		},
		{
			name: "rst enumerated list, grid table and definition list",
			file: "pm.rst",
			src: rstHead + "Action items\n------------\n\n" +
				"1) Add a health check to the worker @pat\n" +
				"2) TODO remove the manual restart step\n\n" +
				"+--------------------------+---------+--------+\n" +
				"| Task                     | Owner   | State  |\n" +
				"+==========================+=========+========+\n" +
				"| Expire stale sessions    | Rui     | closed |\n" +
				"+--------------------------+---------+--------+\n\n" +
				"Set up synthetic checks (owner: Zoe)\n" +
				"    One per region, every minute.\n",
			want: []wantAction{
				{Text: "Add a health check to the worker", State: Unknown, Owner: "pat"},
				{Text: "remove the manual restart step", State: Open},
				{Text: "Expire stale sessions", State: Done, Owner: "Rui"},
				{Text: "Set up synthetic checks", State: Unknown, Owner: "Zoe", Detail: "One per region, every minute."},
			},
		},
		{
			name: "rst numbered headings",
			file: "pm.rst",
			src: rstHead + "Action items\n------------\n\n" +
				"1) Cap the worker pool @lin\n~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n\nTwelve workers, down from sixteen.\n\n" +
				"2) Add CPU alerts\n~~~~~~~~~~~~~~~~~\n\nSee OPS-301.\n",
			want: []wantAction{
				{Text: "Cap the worker pool", State: Unknown, Owner: "lin", Detail: "Twelve workers, down from sixteen."},
				{Text: "Add CPU alerts", State: Unknown, Ticket: "OPS-301", Detail: "See OPS-301."},
			},
		},
		{
			name: "only the first action-items section",
			file: "pm.md",
			src:  md + "## Lessons\n\n### Action items\n\n- Add a retry\n\n## Follow-ups\n\n- Not read\n",
			want: []wantAction{
				{Text: "Add a retry", State: Unknown},
			},
		},
		{
			name: "no section",
			file: "pm.md",
			src:  md + "## Timeline\n\n- 10:00 paged\n",
		},
		{
			name: "placeholder section",
			file: "pm.md",
			src:  md + "## Action items\n\n- TODO\n- [ ]\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := actionsOf(t, c.file, c.src)
			n := max(len(got), len(c.want))
			for i := range n {
				var g, w wantAction
				if i < len(got) {
					g = gotAction(got[i])
				}
				if i < len(c.want) {
					w = c.want[i]
				}
				if g.String() != w.String() {
					t.Errorf("action %d:\n got %v\nwant %v", i, g, w)
				}
			}
		})
	}
}

func TestActionTextIsCut(t *testing.T) {
	long := strings.Repeat("rebalance the shards ", 40)
	got := actionsOf(t, "pm.md", "# X\n\n## Action items\n\n- "+long+"\n")
	if len(got) != 1 {
		t.Fatalf("got %d actions, want 1", len(got))
	}
	text := got[0].Text
	if !strings.HasSuffix(text, "…") || strings.HasSuffix(text, " …") {
		t.Errorf("cut text %q should end in a word and …", text)
	}
	if n := len([]rune(text)); n > maxActionText+1 || n < maxActionText/2 {
		t.Errorf("cut text has %d characters, want about %d", n, maxActionText)
	}
	if !strings.HasPrefix(long, strings.TrimSuffix(text, "…")) {
		t.Errorf("cut text %q is not a prefix of the item", text)
	}
}

func TestActionPositions(t *testing.T) {
	src := "# X\n\n## Action items\n\n- [ ] First\n- [x] Second\n\n| Action | Status |\n|---|---|\n| Third | done |\n\n### 1) Fourth @ana\n\nMore.\n"
	got := actionsOf(t, "pm.md", src)
	want := []struct {
		text string
		line int
	}{{"First", 5}, {"Second", 6}, {"Third", 10}, {"Fourth", 12}}
	if len(got) != len(want) {
		t.Fatalf("got %d actions, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Text != w.text || got[i].Pos.Line != w.line || got[i].Pos.File != "pm.md" {
			t.Errorf("action %d: %q at %v, want %q at pm.md:%d", i, got[i].Text, got[i].Pos, w.text, w.line)
		}
	}
}

func TestActionsNil(t *testing.T) {
	if got := Actions(nil); got != nil {
		t.Errorf("Actions(nil) = %v, want nil", got)
	}
	if got := Actions(&incident.Incident{}); got != nil {
		t.Errorf("Actions of an empty incident = %v, want nil", got)
	}
}

// TestActionsOddInput feeds shapes that have broken naive parsers: each
// must give actions with text, or none, and never panic.
func TestActionsOddInput(t *testing.T) {
	for _, body := range []string{
		"- [", "- @", "- (", "- #", "- ☐", "- ✅ ✅", "- [x] [x] [x]", "- (owner: )", "- — ",
		"- [](https://github.com/a/b/issues/1)", "- [#1](https://github.com/a/b/issues/1)",
		"- TODO TODO DONE", "- " + strings.Repeat("(", 5000), "- " + strings.Repeat("@a ", 3000),
		"- " + strings.Repeat("[x] ", 3000), "- a " + strings.Repeat("OPS-1 ", 2000),
		"| Status |\n|---|\n| done |", "| |\n|---|\n| |", "1) \n\n2)", "### 1)\n\n### 2) @x\n",
		"- x\n" + strings.Repeat("  ", 100) + "- deep",
		strings.Repeat("> ", 200) + "quoted",
	} {
		got := actionsOf(t, "pm.md", "# X\n\n## Action items\n\n"+body+"\n")
		for _, a := range got {
			if strings.TrimSpace(a.Text) == "" {
				t.Errorf("%.40q: action with empty text: %+v", body, a)
			}
			if a.State != Open && a.State != Done && a.State != Unknown {
				t.Errorf("%.40q: state %q", body, a.State)
			}
		}
	}
}

func FuzzActions(f *testing.F) {
	for _, s := range []string{
		"- [ ] Add alerts @ana\n- [x] Fix it ([#3](https://github.com/a/b/issues/3))",
		"| Action | Status |\n|---|---|\n| Do it | done |",
		"### 1) Title @owner [tag]\n\nDetail.",
		"☐ one\n☒ two",
	} {
		f.Add(s)
	}
	md := markup.NewMarkdown(markup.Limits{})
	f.Fuzz(func(t *testing.T, body string) {
		d, err := md.Read("pm.md", []byte("# X\n\n## Action items\n\n"+body))
		if err != nil {
			return
		}
		inc, err := incident.Extract(d, "pm.md", incident.Config{Location: time.UTC})
		if err != nil {
			return
		}
		for _, a := range Actions(inc) {
			if strings.TrimSpace(a.Text) == "" {
				t.Fatalf("action with empty text: %+v", a)
			}
		}
	})
}

// TestActionsLinear checks that the work grows with the input and not
// faster: a section eight times as large must not take much more than
// eight times as long.
func TestActionsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	shapes := map[string]func(k int) string{
		"links in one item": func(k int) string {
			return "- Fix it " + strings.Repeat("[#1](https://github.com/a/b/issues/1) ", k)
		},
		"lines of one paragraph": func(k int) string {
			return strings.Repeat("☐ Add [x](https://github.com/a/b/issues/1) (see #2)\n", k)
		},
		"punctuation": func(k int) string { return "- a" + strings.Repeat(" :. ..", k) },
		"items":       func(k int) string { return strings.Repeat("- [ ] Move the queue @ana OPS-1 [ops]\n", k) },
		"table rows": func(k int) string {
			return "| Action | Owner | Status |\n|---|---|---|\n" + strings.Repeat("| Add it (#3) | @b | done |\n", k)
		},
		"keys that are not": func(k int) string { return "- x " + strings.Repeat("UTF-8 SHA-1 ", k) },
		"brackets":          func(k int) string { return "- " + strings.Repeat("(see [", k) + " @a" },
		"handles":           func(k int) string { return "- x " + strings.Repeat("@a ", k) + "— Ana" },
		"headings": func(k int) string {
			return strings.Repeat("### 1) Cap the pool @lin [ops]\n\nTwelve, down from sixteen (#4).\n\n", k)
		},
	}
	// Work is counted, not timed (a test must pass on a busy machine):
	// allocations grow with what is built, and a quadratic pass over the
	// items shows as far more than eight times the allocations for eight
	// times the input (64). The bound is 16: the race detector, which
	// turns off sync.Pool, makes some shapes allocate 13 times.
	measure := func(src string) float64 {
		d, err := markup.NewMarkdown(markup.Limits{}).Read("pm.md", []byte("# X\n\n## Action items\n\n"+src+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		inc, err := incident.Extract(d, "pm.md", incident.Config{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(1, func() { Actions(inc) })
	}
	for name, shape := range shapes {
		small, large := measure(shape(500)), measure(shape(4000))
		t.Logf("%s: %.0f, %.0f allocations", name, small, large)
		if large > 16*small+100 {
			t.Errorf("%s: %.0f allocations for 500, %.0f for 4000: not linear", name, small, large)
		}
	}
}
