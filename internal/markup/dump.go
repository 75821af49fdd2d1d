package markup

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Dump writes a deterministic, line-oriented description of d: metadata,
// title, outline, warnings and the node tree. Golden tests compare dumps, and
// `kb inspect` prints one, so a change to what a reader produces shows up as
// a readable diff.
func Dump(w io.Writer, d *Doc) error {
	var b strings.Builder
	for _, f := range d.Meta {
		fmt.Fprintf(&b, "meta %s = %s @%d:%d\n", f.Key, FormatValue(f.Value), f.Pos.Line, f.Pos.Col)
	}
	if d.Title != "" {
		fmt.Fprintf(&b, "title %q @%d:%d\n", d.Title, d.TitlePos.Line, d.TitlePos.Col)
	}
	var outline func([]*Section, string)
	outline = func(ss []*Section, indent string) {
		for _, s := range ss {
			fmt.Fprintf(&b, "%ssection %d %q key=%q id=%s @%d:%d\n", indent, s.Level, s.Title, s.Key, s.ID, s.Pos.Line, s.Pos.Col)
			outline(s.Sections, indent+"  ")
		}
	}
	outline(d.Sections, "")
	for _, a := range d.Assets {
		fmt.Fprintf(&b, "asset %s @%d:%d\n", a.Path, a.Pos.Line, a.Pos.Col)
	}
	for _, wn := range d.Warnings {
		fmt.Fprintf(&b, "warning %d:%d %s\n", wn.Pos.Line, wn.Pos.Col, wn.Message)
	}
	b.WriteString("body\n")
	depth := 1
	Walk(d.Body, func(n *Node, entering bool) WalkStatus {
		if !entering {
			depth--
			return WalkContinue
		}
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(n.Kind.String())
		dumpAttrs(&b, n)
		b.WriteByte('\n')
		depth++
		return WalkContinue
	})
	_, err := io.WriteString(w, b.String())
	return err
}

func dumpAttrs(b *strings.Builder, n *Node) {
	attr := func(k, v string) {
		if v != "" {
			b.WriteString(" " + k + "=" + v)
		}
	}
	if n.Kind == Heading || n.Level != 0 {
		attr("level", strconv.Itoa(n.Level))
	}
	attr("id", n.ID)
	if n.URL != "" {
		attr("url", strconv.Quote(n.URL))
	}
	if n.Title != "" {
		attr("title", strconv.Quote(n.Title))
	}
	attr("lang", n.Lang)
	attr("class", n.Class)
	if n.Ordered {
		attr("ordered", "true")
		attr("start", strconv.Itoa(n.Start))
	}
	switch n.Task {
	case TaskOpen:
		attr("task", "open")
	case TaskDone:
		attr("task", "done")
	}
	if n.Header {
		attr("header", "true")
	}
	switch n.Align {
	case AlignLeft:
		attr("align", "left")
	case AlignCenter:
		attr("align", "center")
	case AlignRight:
		attr("align", "right")
	}
	if n.ColSpan > 1 {
		attr("colspan", strconv.Itoa(n.ColSpan))
	}
	if n.RowSpan > 1 {
		attr("rowspan", strconv.Itoa(n.RowSpan))
	}
	if n.Line > 0 {
		fmt.Fprintf(b, " @%d:%d", n.Line, n.Col)
	}
	if n.Literal != "" {
		b.WriteString(" " + strconv.Quote(n.Literal))
	}
}

// FormatValue prints a metadata value the same way for every format, for
// dumps and `kb inspect`.
func FormatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		return v.Format(time.RFC3339)
	case LocalDate:
		if v.HasTime {
			return v.Time.Format("2006-01-02T15:04:05")
		}
		return v.Time.Format("2006-01-02")
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = FormatValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + FormatValue(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return fmt.Sprintf("%v", v)
	}
}
