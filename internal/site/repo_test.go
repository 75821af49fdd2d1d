package site

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintBanner: lint.banner is "drafts" unless site.toml says "always"
// or "never"; anything else is an error at its line with a hint.
func TestLintBanner(t *testing.T) {
	tests := []struct {
		src, want, err string
	}{
		{src: ``, want: BannerDrafts},
		{src: "[lint]\nbanner = \"always\"\n", want: BannerAlways},
		{src: "[lint]\nbanner = \"never\"\n", want: BannerNever},
		{src: "[lint]\ndisable = []\nbanner = \"drafts\"\n", want: BannerDrafts},
		{src: "title = \"x\"\n[lint]\nbanner = \"sometimes\"\n", err: `site.toml:3: lint.banner "sometimes" is not a choice`},
		{src: "[lint]\nbanner = \"Always\"\n", err: `lint.banner "Always"`},
		{src: "[lint]\nbanner = true\n", err: `site.toml`},
		{src: "[lint]\nbanners = \"never\"\n", err: `unknown key "lint.banners"`},
	}
	for _, tt := range tests {
		cfg := Default(".")
		err := applyConfig(&cfg, "site.toml", []byte(tt.src))
		if tt.err != "" {
			// A value of the wrong type is the TOML decoder's error,
			// without a line of ours; every other has a line and a hint.
			var ce *ConfigError
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &ce) {
				t.Errorf("%q: error %v, want %q", tt.src, err, tt.err)
			} else if ce.Line > 0 && ce.Hint == "" {
				t.Errorf("%q: no hint", tt.src)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		if cfg.LintBanner != tt.want {
			t.Errorf("%q: banner %q, want %q", tt.src, cfg.LintBanner, tt.want)
		}
	}
}

// TestRepoConfig: repo_url takes only http(s) addresses without
// credentials, query or fragment, and loses a trailing "/" or ".git";
// branch must be a branch name; repo_path a folder inside the
// repository.
func TestRepoConfig(t *testing.T) {
	tests := []struct {
		src  string
		want Repo
		err  string
	}{
		{src: ``, want: Repo{Branch: "main"}},
		{src: `repo_url = "https://github.com/acme/kb"`, want: Repo{URL: "https://github.com/acme/kb", Branch: "main", URLSet: true}},
		{src: `repo_url = "https://github.com/acme/kb.git/"`, want: Repo{URL: "https://github.com/acme/kb", Branch: "main", URLSet: true}},
		{src: `repo_url = "http://git.example.com/ops/kb"`, want: Repo{URL: "http://git.example.com/ops/kb", Branch: "main", URLSet: true}},
		{src: `repo_url = ""`, want: Repo{Branch: "main", URLSet: true}},
		{src: "repo_url = \"https://github.com/acme/kb\"\nbranch = \"release/2024\"\nrepo_path = \"/docs/kb/\"\n",
			want: Repo{URL: "https://github.com/acme/kb", Branch: "release/2024", Path: "docs/kb", URLSet: true}},
		{src: `repo_path = "./docs/../kb"`, want: Repo{Branch: "main", Path: "kb"}},
		{src: `repo_path = "."`, want: Repo{Branch: "main"}},
		{src: "title = \"x\"\nrepo_url = \"javascript:alert(1)\"\n", err: `site.toml:2: repo_url "javascript:alert(1)" is not an http or https address`},
		{src: `repo_url = "git@github.com:acme/kb.git"`, err: `repo_url`},
		{src: `repo_url = "ftp://example.com/kb"`, err: `not an http or https address`},
		{src: `repo_url = "https:///kb"`, err: `has no host`},
		{src: `repo_url = "https://user:token@github.com/acme/kb"`, err: `user name or password`},
		{src: `repo_url = "https://github.com/acme/kb?tab=readme"`, err: `query or fragment`},
		{src: `repo_url = "https://github.com/acme/kb#x"`, err: `query or fragment`},
		{src: `repo_url = "https://github.com/acme/k\"b"`, err: `cannot`},
		{src: `repo_url = "https://github.com/acme/k b"`, err: `cannot`},
		{src: `branch = ""`, err: `branch is empty`},
		{src: `branch = "my branch"`, err: `is not a branch name`},
		{src: `branch = "../main"`, err: `is not a branch name`},
		{src: `branch = "-x"`, err: `is not a branch name`},
		{src: `repo_path = "../elsewhere"`, err: `outside the repository`},
		{src: `repo_url = 3`, err: `site.toml`},
	}
	for _, tt := range tests {
		cfg := Default(".")
		err := applyConfig(&cfg, "site.toml", []byte(tt.src))
		if tt.err != "" {
			var ce *ConfigError
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &ce) {
				t.Errorf("%q: error %v, want %q", tt.src, err, tt.err)
			} else if ce.Line > 0 && ce.Hint == "" {
				t.Errorf("%q: no hint", tt.src)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		if cfg.Repo != tt.want {
			t.Errorf("%q: repo %+v, want %+v", tt.src, cfg.Repo, tt.want)
		}
	}
}

// TestRepoFromEnv: in GitHub Actions, a site.toml without repo_url gets
// the repository, the branch and the site's folder of the run; outside
// Actions, or with repo_url written (even as ""), nothing changes.
func TestRepoFromEnv(t *testing.T) {
	ws := t.TempDir()
	actions := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/postmortems",
		"GITHUB_REF": "refs/heads/main", "GITHUB_REF_NAME": "main", "GITHUB_WORKSPACE": ws,
	}
	with := func(over map[string]string) func(string) string {
		env := map[string]string{}
		for k, v := range actions {
			env[k] = v
		}
		for k, v := range over {
			env[k] = v
		}
		return func(k string) string { return env[k] }
	}
	tests := []struct {
		name    string
		root    string
		src     string
		env     func(string) string
		want    Repo
		content string
		err     string
	}{
		{name: "actions at the root", root: ws, env: with(nil),
			want: Repo{URL: "https://github.com/acme/postmortems", Branch: "main"}, content: "content"},
		{name: "actions below the root", root: filepath.Join(ws, "docs", "kb"), env: with(map[string]string{"GITHUB_REF": "refs/heads/pm/2024", "GITHUB_REF_NAME": "pm/2024"}),
			want: Repo{URL: "https://github.com/acme/postmortems", Branch: "pm/2024", Path: "docs/kb"}, content: "docs/kb/content"},
		{name: "enterprise server", root: ws, env: with(map[string]string{"GITHUB_SERVER_URL": "https://git.acme.example/"}),
			want: Repo{URL: "https://git.acme.example/acme/postmortems", Branch: "main"}, content: "content"},
		{name: "a tag keeps the configured branch", root: ws, src: `branch = "trunk"`, env: with(map[string]string{"GITHUB_REF": "refs/tags/v1", "GITHUB_REF_NAME": "v1"}),
			want: Repo{URL: "https://github.com/acme/postmortems", Branch: "trunk"}, content: "content"},
		{name: "a pull request's merge ref keeps the configured branch", root: ws, env: with(map[string]string{"GITHUB_REF": "refs/pull/7/merge", "GITHUB_REF_NAME": "7/merge"}),
			want: Repo{URL: "https://github.com/acme/postmortems", Branch: "main"}, content: "content"},
		{name: "configured repo_path wins", root: filepath.Join(ws, "x"), src: `repo_path = "kb"`, env: with(nil),
			want: Repo{URL: "https://github.com/acme/postmortems", Branch: "main", Path: "kb"}, content: "kb/content"},
		{name: "site outside the workspace", root: t.TempDir(), env: with(nil),
			want: Repo{URL: "https://github.com/acme/postmortems", Branch: "main"}, content: "content"},
		{name: "repo_url written", root: ws, src: `repo_url = "https://github.com/acme/other"`, env: with(nil),
			want: Repo{URL: "https://github.com/acme/other", Branch: "main", URLSet: true}, content: "content"},
		{name: "repo_url written empty", root: ws, src: `repo_url = ""`, env: with(nil),
			want: Repo{Branch: "main", URLSet: true}},
		{name: "not in actions", root: ws, env: with(map[string]string{"GITHUB_ACTIONS": ""}),
			want: Repo{Branch: "main"}},
		{name: "no repository named", root: ws, env: with(map[string]string{"GITHUB_REPOSITORY": ""}),
			want: Repo{Branch: "main"}},
		{name: "a server that is not http", root: ws, env: with(map[string]string{"GITHUB_SERVER_URL": "javascript:x"}),
			err: "GITHUB_SERVER_URL"},
		{name: "content outside the repository", root: ws, src: "repo_url = \"https://github.com/a/b\"\ncontent_dir = \"../content\"\n", env: with(nil),
			want: Repo{URL: "https://github.com/a/b", Branch: "main", URLSet: true}},
	}
	for _, tt := range tests {
		cfg := Default(tt.root)
		if err := applyConfig(&cfg, "site.toml", []byte(tt.src)); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		err := cfg.RepoFromEnv(tt.env)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if cfg.Repo != tt.want {
			t.Errorf("%s: repo %+v, want %+v", tt.name, cfg.Repo, tt.want)
		}
		if got := cfg.repoContent(); got != tt.content {
			t.Errorf("%s: content in the repository %q, want %q", tt.name, got, tt.content)
		}
	}
}
