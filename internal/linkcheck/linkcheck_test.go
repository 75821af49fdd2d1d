package linkcheck

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestCheck(t *testing.T) {
	site := fstest.MapFS{
		"index.html":             {Data: []byte(`<a href="incidents/a/">a</a><a href="incidents/a/#impact">i</a><a href="https://x.org">x</a><link href="assets/kb.css">`)},
		"incidents/a/index.html": {Data: []byte(`<h2 id="impact">I</h2><a href="../../">home</a><img src="pic.png"><a href="../b/">broken</a><a href="#nope">bad anchor</a><a href="../../../up">up</a>`)},
		"incidents/a/pic.png":    {Data: []byte("png")},
		"assets/kb.css":          {Data: []byte("css")},
		"404.html":               {Data: []byte(`<a href="/kb/">home</a><a href="/kb/missing/">m</a><a href="/other/">o</a>`)},
	}
	probs, err := Check(site, "/kb/")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	want := []string{
		"404.html: /kb/missing/: no such file",
		"404.html: /other/: outside the base path /kb/",
		"incidents/a/index.html: ../b/: no such file",
		"incidents/a/index.html: #nope: no element with id nope",
		"incidents/a/index.html: ../../../up: leaves the site",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
