package markup

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTemplateTags runs the template tag pre-pass on its own: what each
// tag becomes, and how many tags of each kind the warning counts.
func TestTemplateTags(t *testing.T) {
	for _, c := range []struct {
		name, in, out string
		hugo, liquid  int
	}{
		{"none", "Plain {text} and {{ output }}.\n", "Plain {text} and {{ output }}.\n", 0, 0},
		{"self-closing", "Before {{< youtube abc >}} after.\n", "Before  after.\n", 1, 0},
		{"percent form", "a {{% toc %}} b\n", "a  b\n", 1, 0},
		{"ref in link", `[see]({{< ref "runbooks/dns.md" >}})` + "\n", "[see](runbooks/dns.md)\n", 1, 0},
		{"relref anchor", `[x]({{< relref "db.md#replication" >}})` + "\n", "[x](db.md#replication)\n", 1, 0},
		{"ref named path", `{{< ref path="a/b.md" lang="en" >}}`, "a/b.md", 1, 0},
		{"figure", `{{< figure src="img/graph.png" caption="Error rate" >}}`, "![Error rate](img/graph.png)", 1, 0},
		{"figure alt wins", `{{< figure src="a b.png" alt="x [1]" caption="c" >}}`, `![x \[1\]](a%20b.png)`, 1, 0},
		{"figure without src", `{{< figure link="x" >}}`, "", 1, 0},
		{"img", `{{< img src="p.png" alt="p" >}}`, "![p](p.png)", 1, 0},
		{"paired", "{{< note >}}Keep this.{{< /note >}}", "Keep this.", 1, 0},
		{"paired percent", "{{% alert title=\"Careful\" %}}\n**Inner**\n{{% /alert %}}\n", "\n**Inner**\n\n", 1, 0},
		{"stray close", "x {{< /note >}} y", "x  y", 1, 0},
		{"self-closing slash", `{{< note />}}`, "", 1, 0},
		{"escaped", "Write {{</* ref \"x\" */>}} in Hugo.", "Write {{< ref \"x\" >}} in Hugo.", 0, 0},
		{"escaped percent", "{{%/* note */%}}", "{{% note %}}", 0, 0},
		{"multi-line tag", "a {{< gist\n  user\n  123 >}} b\n", "a \n\n b\n", 1, 0},
		{"not a shortcode", "{{< >}} and {{<}} and {{< \"q\" >}}", "{{< >}} and {{<}} and {{< \"q\" >}}", 0, 0},
		{"unterminated", `{{< ref "x"` + "\n\nnext {{< also", `{{< ref "x"` + "\n\nnext {{< also", 0, 0},
		{"tag does not cross a blank line", "{{< ref \"x\"\n\n>}}", "{{< ref \"x\"\n\n>}}", 0, 0},
		{"liquid include", "{% include note.html content=\"x\" %}\nText\n", "\nText\n", 0, 1},
		{"liquid whitespace control", "a{%- assign x = 1 -%}b", "ab", 0, 1},
		{"liquid link", "[post]({% link _posts/2024-01-02-dns.md %})", "[post](_posts/2024-01-02-dns.md)", 0, 1},
		{"liquid post_url", "[p]({% post_url 2010-07-21-outage %})", "[p](2010-07-21-outage)", 0, 1},
		{"liquid raw", "{% raw %}{{ site.url }} {% if %}{% endraw %}", "{{ site.url }} {% if %}", 0, 1},
		{"liquid comment", "a{% comment %}\nhidden\n{% endcomment %}b", "a\n\nb", 0, 1},
		{"liquid if", "{% if x %}shown{% else %}too{% endif %}", "showntoo", 0, 2},
		{"liquid output left", "{{ page.title }} and {{page.x}}", "{{ page.title }} and {{page.x}}", 0, 0},
		{"not a liquid tag", "50{% and {% 1 %} and {%%}", "50{% and {% 1 %} and {%%}", 0, 0},
		{"highlight", "{% highlight ruby linenos %}\nputs 1\n\nputs 2\n{% endhighlight %}\n", "```ruby\nputs 1\n\nputs 2\n```\n", 0, 1},
		{"highlight with backticks", "  {% highlight md %}\n  ```\n  {% endhighlight %}", "  ````md\n  ```\n  ````", 0, 1},
		{"highlight inline", "a {% highlight go %}x{% endhighlight %} b", "a x b", 0, 1},
		{"highlight unclosed", "{% highlight go %}\nx\n", "\nx\n", 0, 1},
		{"hugo highlight", "{{< highlight go \"linenos=table\" >}}\nfmt.Println()\n{{< /highlight >}}", "```go\nfmt.Println()\n```", 1, 0},
		{"both kinds", "{{< note >}}a{{< /note >}} {% include x %}\n{{< ref \"y\" >}}", "a \ny", 2, 1},
		{"fenced code untouched", "```html\n{{< ref \"x\" >}} {% raw %}\n```\n{{< ref \"y\" >}}\n", "```html\n{{< ref \"x\" >}} {% raw %}\n```\ny\n", 1, 0},
		{"tilde fence untouched", "~~~\n{% include x %}\n~~~~\n", "~~~\n{% include x %}\n~~~~\n", 0, 0},
		{"quoted fence untouched", "> ```\n> {{< x >}}\n> ```\n", "> ```\n> {{< x >}}\n> ```\n", 0, 0},
		{"unclosed fence", "```\n{{< x >}}\n", "```\n{{< x >}}\n", 0, 0},
		{"code span untouched", "Use `{{< ref \"x\" >}}` or ``{% raw %}`` {{< y >}}", "Use `{{< ref \"x\" >}}` or ``{% raw %}`` ", 1, 0},
		{"code span over lines", "`a\n{{< x >}}` b", "`a\n{{< x >}}` b", 0, 0},
		{"unmatched backtick", "`{{< x >}} ``", "` ``", 1, 0},
		{"escaped backtick", "\\`{{< x >}}`", "\\``", 1, 0},
		{"raw holds a fence", "{% raw %}\n```\n{% endraw %}\n{{< x >}}\n", "\n```\n\n\n", 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := rewriteTemplateTags([]byte(c.in))
			if got := string(r.out); got != c.out {
				t.Errorf("rewrite(%q)\n got %q\nwant %q", c.in, got, c.out)
			}
			if r.hugo != c.hugo || r.liquid != c.liquid {
				t.Errorf("counted %d Hugo shortcodes and %d Liquid tags, want %d and %d", r.hugo, r.liquid, c.hugo, c.liquid)
			}
			if (r.first >= 0) != (c.hugo+c.liquid > 0) {
				t.Errorf("first tag at %d with %d tags counted", r.first, c.hugo+c.liquid)
			}
			if a, b := strings.Count(c.in, "\n"), bytes.Count(r.out, []byte("\n")); a != b {
				t.Errorf("%d newlines in, %d out", a, b)
			}
		})
	}
}

// TestTemplateTagWarning checks the one warning a file with tags gets.
func TestTemplateTagWarning(t *testing.T) {
	for _, c := range []struct {
		in, msg    string
		line, col  int
		noWarnings bool
	}{
		{in: "---\ntitle: T\n---\nText.\n\nSee {{< ref \"a\" >}}, {{< ref \"b\" >}} and {% link c %}.\n{{< figure src=\"x.png\" >}}\n",
			msg: "3 Hugo shortcodes and 1 Liquid tag were shown as their text or left out", line: 6, col: 5},
		{in: "é {% include x %}", msg: "1 Liquid tag was shown as its text or left out", line: 1, col: 3},
		{in: "{{< a >}}{{< b >}}", msg: "2 Hugo shortcodes were shown as their text or left out", line: 1, col: 1},
		{in: "{{</* a */>}} `{{< b >}}`", noWarnings: true},
	} {
		d, err := NewMarkdown(Limits{}).Read("p.md", []byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		if c.noWarnings {
			if len(d.Warnings) != 0 {
				t.Errorf("%q: warnings %v, want none", c.in, d.Warnings)
			}
			continue
		}
		if len(d.Warnings) != 1 {
			t.Fatalf("%q: warnings %v, want one", c.in, d.Warnings)
		}
		w := d.Warnings[0]
		if w.Message != c.msg || w.Pos.Line != c.line || w.Pos.Col != c.col || w.Pos.File != "p.md" || w.Hint != templateHint {
			t.Errorf("%q: warning %v %q (hint %q), want p.md:%d:%d %q", c.in, w.Pos, w.Message, w.Hint, c.line, c.col, c.msg)
		}
	}
}

// TestTemplateTagsLinear feeds inputs that would make a naive scan
// quadratic: openers without closers, and closers searched for again and
// again. The bound is a hang detector.
func TestTemplateTagsLinear(t *testing.T) {
	n := 100000
	cases := map[string]string{
		"shortcode openers":   strings.Repeat("{{< ", n),
		"escaped openers":     strings.Repeat("{{</* ", n),
		"liquid openers":      strings.Repeat("{% ", n),
		"raw without end":     strings.Repeat("{% raw %}", n),
		"highlight inline":    strings.Repeat("{% highlight x %}", n) + "\n{% endhighlight %}",
		"hugo highlights":     strings.Repeat("a {{< highlight x >}}", n) + "\n{{< /highlight >}}",
		"far liquid closer":   strings.Repeat("{% x ", n) + "%}",
		"backtick runs":       strings.Repeat("`a``", n),
		"raw pairs":           strings.Repeat("{% raw %}x{% endraw %}", n),
		"raw over blocks":     strings.Repeat("{% raw %}\n\nx{% endraw %}", n),
		"comments":            strings.Repeat("{% comment %}", n) + "{% endcomment %}",
		"many lines with tag": strings.Repeat("{{< x >}}\n", n),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			var r tagRewrite
			n := allocated(func() { r = rewriteTemplateTags([]byte(src)) })
			if n > 200*uint64(len(src))+(1<<20) {
				t.Errorf("allocated %d bytes for %d bytes of input", n, len(src))
			}
			if a, b := strings.Count(src, "\n"), bytes.Count(r.out, []byte("\n")); a != b {
				t.Errorf("%d newlines in, %d out", a, b)
			}
		})
	}
}

// FuzzTemplateTags checks the pre-pass on its own: it keeps every line
// and keeps text valid UTF-8.
func FuzzTemplateTags(f *testing.F) {
	f.Add([]byte("{{< ref \"x\" >}} {% raw %}{{< y >}}{% endraw %}\n```\n{% z %}\n```\n"))
	f.Add([]byte("{% highlight go %}\nx\n{% endhighlight %}\n{{</* a */>}}`{{< b >}}`"))
	f.Fuzz(func(t *testing.T, src []byte) {
		r := rewriteTemplateTags(src)
		if a, b := bytes.Count(src, []byte("\n")), bytes.Count(r.out, []byte("\n")); a != b {
			t.Fatalf("%d newlines in, %d out", a, b)
		}
		if utf8.Valid(src) && !utf8.Valid(r.out) {
			t.Fatalf("output is not UTF-8: %q", r.out)
		}
		if r.first >= len(src) {
			t.Fatalf("first tag at %d of %d bytes", r.first, len(src))
		}
	})
}
