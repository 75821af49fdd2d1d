package markup

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		keys     []string
		bodyLine int
		errLine  int    // 0: no error expected
		errText  string // part of the message
	}{
		{name: "none", src: "# Title\n", bodyLine: 1},
		{name: "yaml", src: "---\ntitle: A\ndate: 2024-01-02\n---\nbody\n", keys: []string{"title", "date"}, bodyLine: 5},
		{name: "yaml dots end", src: "---\ntitle: A\n...\nbody\n", keys: []string{"title"}, bodyLine: 4},
		{name: "yaml empty", src: "---\n---\nbody\n", bodyLine: 3},
		{name: "yaml crlf", src: "---\r\ntitle: A\r\n---\r\nbody\r\n", keys: []string{"title"}, bodyLine: 4},
		{name: "toml", src: "+++\ntitle = \"A\"\nseverity = \"SEV1\"\n+++\nbody\n", keys: []string{"title", "severity"}, bodyLine: 5},
		{name: "dashes later are not front matter", src: "text\n---\ntitle: A\n---\n", bodyLine: 1},
		{name: "thematic break with text is not front matter", src: "--- x\n", bodyLine: 1},
		{name: "unterminated yaml", src: "---\ntitle: A\n\n# Heading\n", errLine: 1, errText: "never closed"},
		{name: "unterminated toml", src: "+++\ntitle = \"A\"\n", errLine: 1, errText: "TOML front matter"},
		{name: "invalid yaml", src: "---\ntitle: A\nsystems: [a, b\n---\n", errLine: 3, errText: "invalid YAML"},
		{name: "yaml unclosed mapping", src: "---\ntitle: A\nx: {a: 1\n\n---\n", errLine: 3, errText: "invalid YAML"},
		{name: "yaml bad indent", src: "---\ntitle: A\n  date: 2024\n---\n", errLine: 3, errText: "invalid YAML"},
		{name: "yaml tab", src: "---\ntitle: A\n\tdate: x\n---\n", errLine: 3, errText: "invalid YAML"},
		{name: "yaml not a mapping", src: "---\n- a\n- b\n---\n", errLine: 2, errText: "mapping"},
		{name: "yaml duplicate key", src: "---\ntitle: A\ntitle: B\n---\n", errLine: 3, errText: "already defined"},
		{name: "invalid toml", src: "+++\ntitle = \"A\"\nsystems = [\"a\",\n+++\n", errLine: 3, errText: "invalid TOML"},
		{name: "toml bare string", src: "+++\nseverity = SEV1\n+++\n", errLine: 2, errText: "invalid TOML"},
		{name: "yaml alias bomb", src: "---\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\n", errLine: 5, errText: "aliases expand to more than 10000 values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := Prepare("f.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			fm, err := SplitFrontMatter("f.md", src)
			if tt.errText != "" {
				var me *Error
				if !errors.As(err, &me) {
					t.Fatalf("err = %v, want *Error containing %q", err, tt.errText)
				}
				if !strings.Contains(err.Error(), tt.errText) {
					t.Errorf("err = %q, want it to contain %q", err, tt.errText)
				}
				if tt.errLine != 0 && me.Pos.Line != tt.errLine {
					t.Errorf("error line = %d, want %d (%v)", me.Pos.Line, tt.errLine, err)
				}
				if me.Hint == "" {
					t.Errorf("error %q has no hint", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, f := range fm.Fields {
				keys = append(keys, f.Key)
			}
			if strings.Join(keys, ",") != strings.Join(tt.keys, ",") {
				t.Errorf("keys = %v, want %v", keys, tt.keys)
			}
			if fm.BodyLine != tt.bodyLine {
				t.Errorf("body line = %d, want %d", fm.BodyLine, tt.bodyLine)
			}
		})
	}
}

func TestFieldPositions(t *testing.T) {
	for _, src := range []string{
		"---\ntitle: A\n\nseverity: SEV1\n---\n",
		"+++\ntitle = \"A\"\n\nseverity = \"SEV1\"\n+++\n",
	} {
		fm, err := SplitFrontMatter("f.md", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, f := range fm.Fields {
			got[f.Key] = f.Pos.Line
		}
		if got["title"] != 2 || got["severity"] != 4 {
			t.Errorf("%q: key lines = %v, want title 2, severity 4", src, got)
		}
	}
}

func TestValueTypes(t *testing.T) {
	fm, err := SplitFrontMatter("f.md", []byte("---\nn: 3\nf: 1.5\nb: true\nd: 2024-01-02\nt: 2024-01-02T03:04:05Z\ns: [a, 2]\nm: {k: v}\nnull:\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"n": "3", "f": "1.5", "b": "true", "d": "2024-01-02", "t": "2024-01-02T03:04:05Z",
		"s": `["a", 2]`, "m": `{k: "v"}`, "null": "null",
	}
	for _, f := range fm.Fields {
		if got := FormatValue(f.Value); got != want[f.Key] {
			t.Errorf("%s = %s, want %s", f.Key, got, want[f.Key])
		}
	}
	if _, ok := fm.Fields[3].Value.(LocalDate); !ok {
		t.Errorf("a date without a zone is %T, want LocalDate", fm.Fields[3].Value)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    string // RFC 3339 in UTC for zoned, wall clock for local
		local   bool
		hasTime bool
	}{
		{"2024-03-11", "2024-03-11T00:00:00", true, false},
		{"2024-03-11 14:05", "2024-03-11T14:05:00", true, true},
		{"2024-03-11T14:05:09", "2024-03-11T14:05:09", true, true},
		{"2024-03-11T14:05:09Z", "2024-03-11T14:05:09Z", false, true},
		{"2024-03-11T14:05:09+02:00", "2024-03-11T12:05:09Z", false, true},
		{"2024-03-11 14:05 UTC", "2024-03-11T14:05:00Z", false, true},
		{" 2024-03-11 ", "2024-03-11T00:00:00", true, false},
	}
	for _, tt := range tests {
		v, ok := ParseDate(tt.in)
		if !ok {
			t.Errorf("ParseDate(%q) failed", tt.in)
			continue
		}
		switch v := v.(type) {
		case LocalDate:
			if !tt.local || v.Time.Format("2006-01-02T15:04:05") != tt.want || v.HasTime != tt.hasTime {
				t.Errorf("ParseDate(%q) = local %v (time %v), want %s", tt.in, v.Time, v.HasTime, tt.want)
			}
		case time.Time:
			if tt.local || v.UTC().Format(time.RFC3339) != tt.want {
				t.Errorf("ParseDate(%q) = %v, want %s", tt.in, v, tt.want)
			}
		}
	}
	for _, bad := range []string{"", "yesterday", "2024-13-01", "2024-02-30", "11/03/2024", "2024-03-11 14:05 PST"} {
		if v, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) = %v, want failure", bad, v)
		}
	}
}

func TestPrepare(t *testing.T) {
	_, err := Prepare("f.md", []byte("ok\nline two \xff here\n"))
	var me *Error
	if !errors.As(err, &me) || me.Pos.Line != 2 || me.Pos.Col != 10 {
		t.Fatalf("err = %v, want invalid UTF-8 at 2:10", err)
	}
	got, err := Prepare("f.md", []byte("\xef\xbb\xbfa\r\nb\rc\x00"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "a\nb\nc\uFFFD" {
		t.Errorf("Prepare = %q", got)
	}
}
