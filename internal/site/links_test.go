package site

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb/internal/markup"
)

// secretFile writes a file outside the site, as a CI machine has them
// (/proc/self/environ, /etc/passwd), and returns its path.
func secretFile(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
}

// errorFor finds the error that names file among the leaves of err.
func errorFor(err error, file string) *markup.Error {
	for _, e := range flattenErrs(err) {
		var me *markup.Error
		if errors.As(e, &me) && me.Pos.File == file {
			return me
		}
	}
	return nil
}

// A symbolic link out of any of the site's folders stops the build with
// an error that names the link, and nothing it leads to is published: the
// site that was published stays as it was.
func TestLinkOutOfSiteFolderIsRefused(t *testing.T) {
	const marker = "SECRET-7f3a9c"
	for _, tt := range []struct {
		folder, link, data string
	}{
		{"content", "2024-09-09-leak.md", "# Leak\n\n" + marker + "\n"},
		{"content", "notes/leak.md", "# Leak\n\n" + marker + "\n"},
		{"assets", "env.txt", "TOKEN=" + marker + "\n"},
		{"assets", "css/env.css", "/* " + marker + " */\n"},
		{"layouts", "partials/footer.html", "<footer>" + marker + "</footer>\n"},
		{"layouts", "404.html", `{{define "main"}}` + marker + `{{end}}` + "\n"},
		{"static", "env.txt", "TOKEN=" + marker + "\n"},
		{"static", "well-known/env.txt", "TOKEN=" + marker + "\n"},
	} {
		t.Run(tt.folder+"/"+tt.link, func(t *testing.T) {
			cfg := fixture(t, "basic")
			if _, err := Build(context.Background(), cfg); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, cfg.OutputPath())
			secret := secretFile(t, "secret", tt.data)
			dir := filepath.Join(cfg.Root, tt.folder)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			symlink(t, secret, filepath.Join(dir, filepath.FromSlash(tt.link)))

			_, err := Build(context.Background(), cfg)
			after := snapshot(t, cfg.OutputPath())
			for p, b := range after {
				if bytes.Contains(b, []byte(marker)) {
					t.Errorf("%s holds the secret", p)
				}
			}
			if err == nil {
				t.Fatal("the build went on past a link to outside the site")
			}
			sameTree(t, before, after)
			name := tt.folder + "/" + tt.link
			me := errorFor(err, name)
			if me == nil {
				t.Fatalf("no error names %s:\n%v", name, err)
			}
			if want := "a symbolic link to outside " + tt.folder + "/ (" + secret + ")"; !strings.Contains(me.Err.Error(), want) {
				t.Errorf("error = %q, want it to say %q", me.Err, want)
			}
			if !strings.Contains(me.Hint, "copy the file into "+tt.folder+"/") {
				t.Errorf("hint = %q, want one saying to copy the file in", me.Hint)
			}
		})
	}
}

// A link that goes up and comes back in leaves the folder on its way:
// os.Root refuses it, and so does kb.
func TestLinkOutAndBackIsRefused(t *testing.T) {
	cfg := fixture(t, "basic")
	writeTestFile(t, filepath.Join(cfg.AssetsPath(), "real.css"), "body{}")
	symlink(t, filepath.Join("..", "assets", "real.css"), filepath.Join(cfg.AssetsPath(), "round.css"))
	_, err := Build(context.Background(), cfg)
	if errorFor(err, "assets/round.css") == nil {
		t.Fatalf("err = %v, want one naming assets/round.css", err)
	}
}

// Links that stay inside their folder keep working: a site may alias a
// file, or a folder of files.
func TestLinkInsideSiteFolderIsFollowed(t *testing.T) {
	cfg := fixture(t, "basic")
	writeTestFile(t, filepath.Join(cfg.AssetsPath(), "real.css"), "/* real css */")
	symlink(t, "real.css", filepath.Join(cfg.AssetsPath(), "alias.css"))
	writeTestFile(t, filepath.Join(cfg.LayoutsPath(), "partials", "real.html"), "<footer>inside footer</footer>")
	symlink(t, "real.html", filepath.Join(cfg.LayoutsPath(), "partials", "footer.html"))
	writeTestFile(t, filepath.Join(cfg.StaticPath(), "files", "real.txt"), "inside static")
	symlink(t, "real.txt", filepath.Join(cfg.StaticPath(), "files", "alias.txt"))
	symlink(t, "files", filepath.Join(cfg.StaticPath(), "docs"))
	// A folder that links to the one above must not be walked forever.
	symlink(t, "..", filepath.Join(cfg.StaticPath(), "files", "up"))
	writeTestFile(t, filepath.Join(cfg.ContentPath(), "shared", "2024-10-10-real.md"), "# Inside postmortem\n")
	symlink(t, "shared/2024-10-10-real.md", filepath.Join(cfg.ContentPath(), "2024-10-11-alias.md"))

	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	out := snapshot(t, cfg.OutputPath())
	for p, want := range map[string]string{
		"assets/alias.css":    "/* real css */",
		"files/alias.txt":     "inside static",
		"docs/real.txt":       "inside static",
		"docs/alias.txt":      "inside static",
		"files/up/docs/x.txt": "",
	} {
		if want == "" {
			if _, ok := out[p]; ok {
				t.Errorf("%s published", p)
			}
			continue
		}
		if string(out[p]) != want {
			t.Errorf("%s = %q, want %q", p, out[p], want)
		}
	}
	if !bytes.Contains(out["index.html"], []byte("inside footer")) {
		t.Error("a footer linked inside layouts/ was not used")
	}
}

// A link in a circle is an error that names it, in every folder, and the
// build ends.
func TestLinkLoopIsRefused(t *testing.T) {
	for _, folder := range []string{"content", "assets", "layouts", "static"} {
		t.Run(folder, func(t *testing.T) {
			cfg := fixture(t, "basic")
			dir := filepath.Join(cfg.Root, folder)
			symlink(t, "loop-b.html", filepath.Join(dir, "loop-a.html"))
			symlink(t, "loop-a.html", filepath.Join(dir, "loop-b.html"))
			_, err := Build(context.Background(), cfg)
			if err == nil {
				t.Fatal("the build went on past a link in a circle")
			}
			for _, name := range []string{"loop-a.html", "loop-b.html"} {
				me := errorFor(err, folder+"/"+name)
				if me == nil || !strings.Contains(me.Err.Error(), "cannot follow symbolic link") {
					t.Errorf("no error says %s/%s cannot be followed:\n%v", folder, name, err)
				}
			}
		})
	}
}

// kb new reads the site's template for a new postmortem through the
// layouts folder too.
func TestNewTemplateLinkOutIsRefused(t *testing.T) {
	cfg := fixture(t, "basic")
	secret := secretFile(t, "secret", "SECRET-7f3a9c\n")
	symlink(t, secret, filepath.Join(cfg.LayoutsPath(), "new.md"))
	_, _, err := cfg.newTemplate("md")
	var me *markup.Error
	if !errors.As(err, &me) || me.Pos.File != "layouts/new.md" || !strings.Contains(me.Err.Error(), "outside layouts/") {
		t.Fatalf("err = %v, want one saying layouts/new.md leads outside layouts/", err)
	}
}

func writeTestFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A folder of the site that is itself a link out of the site (assets ->
// a folder of the build machine) is refused like a file that is one; a
// folder site.toml names outside the site is a choice written down, and
// read.
func TestFolderLinkOutOfSiteIsRefused(t *testing.T) {
	const marker = "SECRET-c41d07"
	for _, folder := range []string{"assets", "layouts", "static", "content"} {
		t.Run(folder, func(t *testing.T) {
			cfg := fixture(t, "basic")
			if _, err := Build(context.Background(), cfg); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, cfg.OutputPath())
			outside := t.TempDir()
			data := "TOKEN=" + marker + "\n"
			if folder == "content" {
				data = "# Leak\n\n" + marker + "\n"
			}
			if err := os.WriteFile(filepath.Join(outside, "leak.md"), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(cfg.Root, folder)
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			symlink(t, outside, dir)

			_, err := Build(context.Background(), cfg)
			after := snapshot(t, cfg.OutputPath())
			for p, b := range after {
				if bytes.Contains(b, []byte(marker)) {
					t.Errorf("%s holds the secret", p)
				}
			}
			if err == nil {
				t.Fatal("the build went on with a folder linked to outside the site")
			}
			sameTree(t, before, after)
			me := errorFor(err, folder)
			if me == nil {
				t.Fatalf("no error names %s:\n%v", folder, err)
			}
			if want := "a symbolic link to outside the site (" + outside + ")"; !strings.Contains(me.Err.Error(), want) {
				t.Errorf("error = %q, want it to say %q", me.Err, want)
			}
		})
	}
}
