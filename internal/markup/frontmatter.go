package markup

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	yaml "go.yaml.in/yaml/v3"
)

// FrontMatter is the metadata block at the top of a Markdown file.
type FrontMatter struct {
	Fields []Field
	// Body is what follows the block; BodyLine is the file line it starts on.
	Body     []byte
	BodyLine int
}

// Limits on decoding one YAML front matter block. YAML aliases can make a
// few lines expand into billions of values, and each level of nesting
// costs a call; real front matter nests two or three levels and repeats
// little. Plain values are not counted: their number is bounded by the
// file's size, and a long list of systems is legitimate.
const (
	maxMetaDepth   = 64
	maxAliasValues = 10000
)

// SplitFrontMatter separates YAML (between "---" lines) or TOML (between
// "+++" lines) front matter from the rest of src. A file without either
// delimiter on its first line has no front matter: all of src is the body.
func SplitFrontMatter(path string, src []byte) (FrontMatter, error) {
	var delim string
	switch {
	case hasDelimLine(src, "---"):
		delim = "---"
	case hasDelimLine(src, "+++"):
		delim = "+++"
	default:
		return FrontMatter{Body: src, BodyLine: 1}, nil
	}
	first := bytes.IndexByte(src, '\n') + 1
	rest := src[first:]
	line := 2
	end := -1
	for off := 0; off < len(rest); {
		nl := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if nl < 0 {
			l = rest[off:]
		} else {
			l = rest[off : off+nl]
		}
		t := strings.TrimRight(string(l), " \t\r")
		if t == delim || (delim == "---" && t == "...") {
			end = off
			next := len(rest)
			if nl >= 0 {
				next = off + nl + 1
			}
			fm := FrontMatter{Body: rest[next:], BodyLine: line + 1}
			var err error
			if delim == "---" {
				fm.Fields, err = decodeYAML(path, rest[:end])
			} else {
				fm.Fields, err = decodeTOML(path, rest[:end])
			}
			return fm, err
		}
		if nl < 0 {
			break
		}
		off += nl + 1
		line++
	}
	kind := "YAML"
	if delim == "+++" {
		kind = "TOML"
	}
	return FrontMatter{}, ruleErr("front-matter", Pos{File: path, Line: 1, Col: 1},
		fmt.Sprintf("end the metadata with a line holding only %s, or remove the opening %s if the file has no front matter", delim, delim),
		"%s front matter opened here is never closed", kind)
}

// hasDelimLine reports whether the first line of src is delim alone.
func hasDelimLine(src []byte, delim string) bool {
	first := src
	if nl := bytes.IndexByte(src, '\n'); nl >= 0 {
		first = src[:nl]
	}
	return string(bytes.TrimRight(first, " \t\r")) == delim
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

func decodeYAML(path string, src []byte) ([]Field, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		msg := err.Error()
		line := 1
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			if m[1] != "" {
				line, _ = strconv.Atoi(m[1])
			}
			msg = msg[len(m[0]):]
			// The YAML decoder counts lines from 0 for parser errors that
			// carry a context ("while parsing a flow sequence") and from 1
			// for the rest; its parser errors all read "did not find
			// expected …".
			if strings.HasPrefix(msg, "did not find expected") {
				line++
			}
		}
		return nil, ruleErr("front-matter", Pos{File: path, Line: line + 1}, "fix the YAML between the --- lines; quote values that contain a colon",
			"invalid YAML front matter: %s", msg)
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, nil // an empty block
	}
	doc := root.Content[0]
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		return nil, nil
	}
	if doc.Kind != yaml.MappingNode {
		return nil, ruleErr("front-matter", Pos{File: path, Line: doc.Line + 1, Col: doc.Column}, "write the metadata as key: value lines",
			"front matter must be a mapping of keys to values")
	}
	budget := maxAliasValues
	var fields []Field
	seen := map[string]int{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if first, dup := seen[k.Value]; dup {
			return nil, ruleErr("front-matter", Pos{File: path, Line: k.Line + 1, Col: k.Column}, "keep one of the two",
				"front matter key %q is already defined on line %d", k.Value, first)
		}
		seen[k.Value] = k.Line + 1
		val, err := yamlValue(v, &budget, 0, false)
		if err != nil {
			at, hint := v, "simplify the metadata"
			var le *yamlLimitError
			if errors.As(err, &le) {
				at, hint = le.at, le.hint
			}
			return nil, ruleErr("front-matter", Pos{File: path, Line: at.Line + 1, Col: at.Column}, hint, "front matter key %q: %v", k.Value, err)
		}
		fields = append(fields, Field{Key: StripControls(k.Value), Value: val, Pos: Pos{File: path, Line: k.Line + 1, Col: k.Column}})
	}
	return fields, nil
}

// yamlLimitError is front matter past a decoding limit, with the node
// where decoding stopped.
type yamlLimitError struct {
	at   *yaml.Node
	msg  string
	hint string
}

func (e *yamlLimitError) Error() string { return e.msg }

// yamlValue converts a node to a Go value. Values reached through an alias
// are counted against budget (they are copies), and nesting is bounded.
func yamlValue(n *yaml.Node, budget *int, depth int, viaAlias bool) (any, error) {
	if depth > maxMetaDepth {
		return nil, &yamlLimitError{at: n, msg: fmt.Sprintf("nested more than %d levels deep", maxMetaDepth),
			hint: "front matter is key: value lines whose values are text, dates or lists; flatten the nested lists and mappings"}
	}
	if viaAlias {
		*budget--
		if *budget < 0 {
			return nil, &yamlLimitError{at: n, msg: fmt.Sprintf("aliases expand to more than %d values", maxAliasValues),
				hint: "write the values out instead of repeating them with aliases (*name)"}
		}
	}
	switch n.Kind {
	case yaml.AliasNode:
		v, err := yamlValue(n.Alias, budget, depth+1, true)
		var le *yamlLimitError
		if !viaAlias && errors.As(err, &le) {
			// Point at the alias written in the document, not at the
			// copy of the anchored value where the count ran out.
			le.at = n
		}
		return v, err
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(c, budget, depth+1, viaAlias)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := yamlValue(n.Content[i+1], budget, depth+1, viaAlias)
			if err != nil {
				return nil, err
			}
			out[StripControls(n.Content[i].Value)] = v
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err == nil {
				return b, nil
			}
		case "!!int":
			var i int64
			if err := n.Decode(&i); err == nil {
				return i, nil
			}
		case "!!float":
			var f float64
			if err := n.Decode(&f); err == nil {
				return f, nil
			}
		case "!!timestamp":
			if t, ok := ParseDate(n.Value); ok {
				return t, nil
			}
		}
		// Double-quoted escapes ("\e", "\x07") can spell control characters.
		return StripControls(n.Value), nil
	}
	return nil, fmt.Errorf("unsupported YAML node")
}

func decodeTOML(path string, src []byte) ([]Field, error) {
	var m map[string]any
	md, err := toml.Decode(string(src), &m)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, ruleErr("front-matter", Pos{File: path, Line: pe.Position.Line + 1, Col: pe.Position.Col}, "fix the TOML between the +++ lines; strings need quotes",
				"invalid TOML front matter: %s", pe.Message)
		}
		return nil, ruleErr("front-matter", Pos{File: path, Line: 2}, "fix the TOML between the +++ lines", "invalid TOML front matter: %v", err)
	}
	var keys []string
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) >= 1 && !seen[k[0]] {
			seen[k[0]] = true
			keys = append(keys, k[0])
		}
	}
	// Keys() is in source order; fall back to sorted order for any key
	// it did not report, so output never depends on map iteration.
	var extra []string
	for k := range m {
		if !seen[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	keys = append(keys, extra...)
	lines := strings.Split(string(src), "\n")
	fields := make([]Field, 0, len(keys))
	for _, k := range keys {
		fields = append(fields, Field{Key: StripControls(k), Value: tomlValue(m[k]), Pos: Pos{File: path, Line: tomlKeyLine(lines, k) + 1, Col: 1}})
	}
	return fields, nil
}

// tomlKeyLine finds the line defining a top-level key; the TOML decoder
// keeps key positions to itself.
func tomlKeyLine(lines []string, key string) int {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		for _, form := range []string{key, `"` + key + `"`, "'" + key + "'"} {
			if strings.HasPrefix(t, form) {
				r := strings.TrimSpace(t[len(form):])
				if strings.HasPrefix(r, "=") || strings.HasPrefix(r, ".") {
					return i + 1
				}
			}
			if t == "["+form+"]" || t == "[["+form+"]]" || strings.HasPrefix(t, "["+form+".") {
				return i + 1
			}
		}
	}
	return 1
}

func tomlValue(v any) any {
	switch v := v.(type) {
	case string:
		// Escapes ("\u001b") can spell control characters.
		return StripControls(v)
	case int64, float64, bool:
		return v
	case time.Time:
		switch v.Location().String() {
		case "date-local":
			return LocalDate{Time: time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)}
		case "datetime-local":
			return LocalDate{Time: time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC), HasTime: true}
		case "time-local":
			return v.Format("15:04:05")
		}
		return v
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = tomlValue(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = tomlValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[StripControls(k)] = tomlValue(e)
		}
		return out
	}
	return fmt.Sprint(v)
}

var dateLayouts = []struct {
	layout  string
	zoned   bool
	hasTime bool
}{
	{time.RFC3339Nano, true, true},
	{"2006-01-02T15:04:05Z07:00", true, true},
	{"2006-01-02 15:04:05Z07:00", true, true},
	{"2006-01-02 15:04:05 Z07:00", true, true},
	{"2006-01-02 15:04:05 -0700", true, true},
	{"2006-01-02T15:04Z07:00", true, true},
	{"2006-01-02 15:04Z07:00", true, true},
	{"2006-01-02 15:04 MST", true, true},
	{"2006-01-02T15:04:05", false, true},
	{"2006-01-02 15:04:05", false, true},
	{"2006-01-02T15:04", false, true},
	{"2006-01-02 15:04", false, true},
	{"2006-01-02", false, false},
}

// ParseDate reads the date forms postmortems use in metadata: a calendar
// date, a date and time, with or without a zone. A value without a zone is a
// [LocalDate]; one with a zone is a time.Time.
func ParseDate(s string) (any, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if l.zoned {
			if t, err := time.Parse(l.layout, s); err == nil {
				if l.layout == "2006-01-02 15:04 MST" && t.Location().String() != "UTC" {
					// Zone abbreviations other than UTC are ambiguous.
					continue
				}
				return t, true
			}
			continue
		}
		if t, err := time.ParseInLocation(l.layout, s, time.UTC); err == nil {
			return LocalDate{Time: t, HasTime: l.hasTime}, true
		}
	}
	return nil, false
}

func ruleErr(rule string, pos Pos, hint, format string, args ...any) *Error {
	e := Errorf(pos, hint, format, args...)
	e.Rule = rule
	return e
}
