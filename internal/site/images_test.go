package site

import (
	"strings"
	"testing"
)

func TestCheckImage(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n rest"
	tests := []struct {
		path, data string
		ok         string // "" for accepted, else part of the reason
	}{
		{"a.png", png, ""},
		{"a.PNG", png, ""},
		{"a.jpg", "\xff\xd8\xff\xe0", ""},
		{"a.gif", "GIF89a...", ""},
		{"a.webp", "RIFF\x00\x00\x00\x00WEBPVP8 ", ""},
		{"a.png", "<script>alert(1)</script>", "not a PNG"},
		{"payload.html", "<script>", "only PNG"},
		{"x.txt", "hi", "only PNG"},
		{".hidden/a.png", png, "hidden"},
		{"d/.a.png", png, "hidden"},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" style="fill:#fff"/><text>hi</text></svg>`, ""},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><path id="p"/></defs><use xlink:href="#p"/></svg>`, ""},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "<script>"},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, "event handler"},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>`, "<a>"},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://evil.example/x.svg#a"/></svg>`, "links outside"},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="javascript:alert(1)"/></svg>`, "<set>"},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>`, "foreignObject"},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>`, "imports"},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/t)"/></svg>`, "url()"},
		{"a.svg", `<html><script>alert(1)</script></html>`, "not an SVG"},
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg"><rect`, "does not parse"},
	}
	for _, tt := range tests {
		err := checkImage(tt.path, []byte(tt.data))
		switch {
		case tt.ok == "" && err != nil:
			t.Errorf("%s %q refused: %v", tt.path, tt.data, err)
		case tt.ok != "" && (err == nil || !strings.Contains(err.Error(), tt.ok)):
			t.Errorf("%s %q: err = %v, want one mentioning %q", tt.path, tt.data, err, tt.ok)
		}
	}
}
