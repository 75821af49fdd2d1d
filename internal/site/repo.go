package site

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"
)

// Repo places the site's sources in their repository. Each incident page
// links to its file there: <URL>/edit/<Branch>/<path> and
// <URL>/blob/<Branch>/<path>, as GitHub (and GitHub Enterprise) spell
// them.
type Repo struct {
	// URL is the repository's web address, without a trailing "/":
	// "https://github.com/owner/repo"; empty for no links.
	URL string
	// Branch is the branch the links point at.
	Branch string
	// Path is where the site's folder, the one holding site.toml, is in
	// the repository: "" at its root, "docs/kb" below it.
	Path string
	// URLSet says site.toml wrote repo_url, even as "": the environment
	// of a CI run then leaves the links as written (see [Config.RepoFromEnv]).
	URLSet bool
}

// applyRepo reads repo_url, branch and repo_path.
func applyRepo(cfg *Config, name string, src []byte, repoURL, branch, repoPath *string) []error {
	var errs []error
	if repoURL != nil {
		cfg.Repo.URLSet = true
		u, err := RepoURL(*repoURL)
		if err != nil {
			errs = append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{"repo_url"}), Err: err,
				Hint: `write the repository's web address, such as "https://github.com/owner/repo", or "" for no edit links`})
		}
		cfg.Repo.URL = u
	}
	if branch != nil {
		if err := checkBranch(*branch); err != nil {
			errs = append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{"branch"}), Err: err, Hint: `write a branch name such as "main"`})
		} else {
			cfg.Repo.Branch = *branch
		}
	}
	if repoPath != nil {
		p, err := cleanRepoPath(*repoPath)
		if err != nil {
			errs = append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{"repo_path"}), Err: err,
				Hint: `write the folder holding site.toml as a path inside the repository, such as "docs/kb", or "" at its root`})
		}
		cfg.Repo.Path = p
	}
	return errs
}

// RepoURL checks a repository's web address and returns it without a
// trailing "/" or ".git". Only http and https are taken: the address
// becomes a link on every incident page. An empty address is no
// repository.
func RepoURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("repo_url %q is not a web address", s)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("repo_url %q is not an http or https address", s)
	case u.Host == "":
		return "", fmt.Errorf("repo_url %q has no host", s)
	case u.User != nil:
		// Published on every page, a password would be public.
		return "", fmt.Errorf("repo_url %q holds a user name or password", s)
	case u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, "?#"):
		return "", fmt.Errorf("repo_url %q has a query or fragment", s)
	case strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`"'<>\`+"`", r)
	}) >= 0:
		return "", fmt.Errorf("repo_url %q holds a character a web address cannot", s)
	}
	return strings.TrimSuffix(strings.TrimRight(s, "/"), ".git"), nil
}

// checkBranch accepts what git accepts as a branch name, roughly: the
// links escape it, so this only catches what cannot be a branch.
func checkBranch(b string) error {
	if b == "" {
		return errors.New("branch is empty")
	}
	if strings.HasPrefix(b, "/") || strings.HasSuffix(b, "/") || strings.HasPrefix(b, "-") || strings.Contains(b, "..") || strings.Contains(b, "//") {
		return fmt.Errorf("branch %q is not a branch name", b)
	}
	for _, r := range b {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`~^:?*[\`, r) {
			return fmt.Errorf("branch %q is not a branch name", b)
		}
	}
	return nil
}

// cleanRepoPath makes a folder inside the repository a clean relative
// slash path, "" for the root.
func cleanRepoPath(p string) (string, error) {
	p = strings.Trim(filepath.ToSlash(strings.TrimSpace(p)), "/")
	if p == "" {
		return "", nil
	}
	c := path.Clean(p)
	if c == ".." || strings.HasPrefix(c, "../") || strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("repo_path %q is outside the repository", p)
	}
	if c == "." {
		return "", nil
	}
	return c, nil
}

// RepoFromEnv fills in the repository of a build that runs in GitHub
// Actions (GITHUB_ACTIONS=true) when site.toml has no repo_url: the
// repository is GITHUB_SERVER_URL/GITHUB_REPOSITORY, the branch
// GITHUB_REF_NAME when the run is for a branch (a tag or a pull
// request's merge ref keeps the configured branch), and repo_path, when
// site.toml leaves it empty, where the site's folder is in the checkout
// (GITHUB_WORKSPACE). So the Pages workflow needs no settings, and a
// build's links depend on nothing but its input and this environment.
// getenv is os.Getenv in kb; only cmd/kb reads the environment.
func (c *Config) RepoFromEnv(getenv func(string) string) error {
	if c.Repo.URLSet || getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	server, repo := getenv("GITHUB_SERVER_URL"), getenv("GITHUB_REPOSITORY")
	if server == "" || repo == "" {
		return nil
	}
	u, err := RepoURL(strings.TrimRight(server, "/") + "/" + strings.Trim(repo, "/"))
	if err != nil {
		return fmt.Errorf("GITHUB_SERVER_URL and GITHUB_REPOSITORY: %w", err)
	}
	c.Repo.URL = u
	if ref := getenv("GITHUB_REF"); strings.HasPrefix(ref, "refs/heads/") {
		b := strings.TrimPrefix(ref, "refs/heads/")
		if name := getenv("GITHUB_REF_NAME"); name != "" {
			b = name
		}
		if checkBranch(b) == nil {
			c.Repo.Branch = b
		}
	}
	if ws := getenv("GITHUB_WORKSPACE"); ws != "" && c.Repo.Path == "" {
		root, err1 := filepath.Abs(c.Root)
		ws, err2 := filepath.Abs(ws)
		if err1 == nil && err2 == nil {
			if rel, err := filepath.Rel(ws, root); err == nil {
				if p, err := cleanRepoPath(rel); err == nil {
					c.Repo.Path = p
				}
			}
		}
	}
	return nil
}

// repoContent is the content folder's path in the repository ("." at
// its root), or "" when there is no repository or the folder is not in
// it.
func (c Config) repoContent() string {
	if c.Repo.URL == "" || filepath.IsAbs(c.ContentDir) {
		return ""
	}
	p := path.Join(c.Repo.Path, filepath.ToSlash(c.ContentDir))
	if p == ".." || strings.HasPrefix(p, "../") {
		return ""
	}
	return p
}
