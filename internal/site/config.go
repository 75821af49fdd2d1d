package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/lint"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/timeline"
)

// ConfigFile is the name of the site's configuration file.
const ConfigFile = "site.toml"

// Config is everything a build needs to know. cmd/kb makes one from
// site.toml and the flags; nothing below reads the environment or the clock.
type Config struct {
	// Root is the site's folder: where site.toml is, and what the
	// relative folders below are relative to.
	Root        string
	Title       string
	Description string
	Language    string
	// BaseURL is where the site is served, ending in "/".
	BaseURL string
	// ContentDir, OutputDir, LayoutsDir and AssetsDir are folders,
	// relative to Root unless absolute.
	ContentDir string
	OutputDir  string
	LayoutsDir string
	AssetsDir  string
	// StaticDir holds files published as they are, at the same path in
	// the site (a CNAME, a robots.txt); pages kb makes win a clash.
	StaticDir string
	// Location is the zone for dates written without one.
	Location *time.Location
	// MaxFileSize is the most of one source file that is read; the rest
	// is left out with a warning.
	MaxFileSize int64
	// Aliases map canonical section keys to the headings that mean them:
	// the defaults with the site's additions.
	Aliases map[string][]string
	// Prompts are the questions kb new writes under each section.
	Prompts map[string]string
	// Placeholders are patterns of section bodies that mean "not written
	// yet", beyond the defaults.
	Placeholders []string
	// Lint is the site's rules.
	Lint lint.Config
	// Exclude, Logs and Pages are globs of content paths: files that are
	// not read at all, files of many incidents (one per dated entry), and
	// files that are pages rather than incidents.
	Exclude, Logs, Pages []string
	// SeverityAliases and StatusAliases map each allowed value to the
	// other ways it is written ("Critical" for SEV1).
	SeverityAliases, StatusAliases map[string][]string
	// Keys maps metadata keys of other tools to kb's (tags = "systems").
	Keys map[string]string
	// Drafts publishes postmortems whose metadata marks them as drafts.
	Drafts bool
	// RecurrenceWindow is how close two incidents sharing a system and a
	// cause must be to count as recurrences of each other.
	RecurrenceWindow time.Duration
	// Strict makes lint errors fail the build.
	Strict bool
	// Layouts and Assets are the built-in defaults the site's own folders
	// override.
	Layouts fs.FS
	Assets  fs.FS
	// TempDir holds the search indexer's scratch files; empty means the
	// system's temporary folder.
	TempDir string
	// ReadTimeout bounds the time one file may take to read; a file past
	// it is shown as plain text with a warning. Zero means a default that
	// grows with the file's size: real postmortems read in milliseconds.
	ReadTimeout time.Duration
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
	// Progress, when set, is told how far a long build has got: the
	// stage ("reading", "rendering", "indexing", "publishing") and, while
	// reading, how many of how many files. It may be called from several
	// goroutines.
	Progress func(stage string, done, total int)
	// Workers bounds parallelism; 0 means one per CPU.
	Workers int
	// LintOnly reads for lint and search alone: the bodies' HTML and
	// timelines, which only pages show, are not made, and the site
	// cannot be rendered.
	LintOnly bool
	// SearchPrefetch is when pages load search (the worker, the module
	// and the index): "intent", once the reader focuses a search box or
	// opens the search page, so a visit that never searches costs
	// nothing; or "idle", in the background after every page has
	// loaded, so that every visitor is ready to search offline.
	SearchPrefetch string
	// LintBanner is which incident pages open with "This postmortem is
	// not finished": "drafts" (those whose status says so), "always"
	// (every one with a missing or empty section) or "never". Lint's
	// place is the review page and CI; on an archive that uses its own
	// headings, a banner on every page says nothing about any of them.
	LintBanner string
	// Repo places the site's sources in their repository, for each
	// incident's "Edit this postmortem" and "View source" links.
	Repo Repo
}

// The values of lint.banner.
const (
	BannerDrafts = "drafts"
	BannerAlways = "always"
	BannerNever  = "never"
)

// The values of search.prefetch.
const (
	PrefetchIntent = "intent"
	PrefetchIdle   = "idle"
)

// readTimeout is the budget for reading a file of n bytes.
func (c Config) readTimeout(n int) time.Duration {
	if c.ReadTimeout > 0 {
		return c.ReadTimeout
	}
	return 10*time.Second + time.Duration(n/(100<<10))*time.Second
}

// DefaultMaxFileSize is far above any real postmortem and far below what
// would hurt a build.
const DefaultMaxFileSize = 8 << 20

// Default returns the configuration of a site without a site.toml.
func Default(root string) Config {
	l := lint.Default()
	return Config{
		Aliases:     incident.DefaultAliases(),
		Prompts:     incident.DefaultPrompts(),
		Lint:        l,
		Root:        root,
		Title:       "Postmortems",
		Language:    "en",
		BaseURL:     "/",
		ContentDir:  "content",
		OutputDir:   "site",
		LayoutsDir:  "layouts",
		AssetsDir:   "assets",
		StaticDir:   "static",
		Location:    time.UTC,
		MaxFileSize: DefaultMaxFileSize,

		SearchPrefetch: PrefetchIntent,
		LintBanner:     BannerDrafts,
		Repo:           Repo{Branch: "main"},
	}
}

// path resolves a configured folder against Root.
func (c Config) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Root, p)
}

// ContentPath, OutputPath, LayoutsPath and AssetsPath are the folders as
// paths usable from the working directory.
func (c Config) ContentPath() string { return c.path(c.ContentDir) }
func (c Config) OutputPath() string  { return c.path(c.OutputDir) }
func (c Config) LayoutsPath() string { return c.path(c.LayoutsDir) }
func (c Config) AssetsPath() string  { return c.path(c.AssetsDir) }
func (c Config) StaticPath() string  { return c.path(c.StaticDir) }

// fileConfig is site.toml. Every key is documented in the README.
type fileConfig struct {
	Title       *string `toml:"title"`
	Description *string `toml:"description"`
	Language    *string `toml:"language"`
	BaseURL     *string `toml:"base_url"`
	ContentDir  *string `toml:"content_dir"`
	OutputDir   *string `toml:"output_dir"`
	LayoutsDir  *string `toml:"layouts_dir"`
	AssetsDir   *string `toml:"assets_dir"`
	StaticDir   *string `toml:"static_dir"`
	TimeZone    *string `toml:"timezone"`
	MaxFileSize *string `toml:"max_file_size"`
	Recurrence  *string `toml:"recurrence_window"`
	RepoURL     *string `toml:"repo_url"`
	Branch      *string `toml:"branch"`
	RepoPath    *string `toml:"repo_path"`
	Sections    struct {
		Required     *[]string           `toml:"required"`
		Recommended  *[]string           `toml:"recommended"`
		Placeholders []string            `toml:"placeholders"`
		Aliases      map[string][]string `toml:"aliases"`
		Prompts      map[string]string   `toml:"prompts"`
	} `toml:"sections"`
	Lint struct {
		Banner    *string  `toml:"banner"`
		Disable   []string `toml:"disable"`
		Overrides []struct {
			Path        string    `toml:"path"`
			Required    *[]string `toml:"required"`
			Recommended *[]string `toml:"recommended"`
			Disable     []string  `toml:"disable"`
		} `toml:"overrides"`
	} `toml:"lint"`
	Severities toml.Primitive      `toml:"severities"`
	Statuses   toml.Primitive      `toml:"statuses"`
	Exclude    []string            `toml:"exclude"`
	Logs       []string            `toml:"logs"`
	Pages      []string            `toml:"pages"`
	Keys       map[string]string   `toml:"keys"`
	Systems    map[string][]string `toml:"systems"`
	Causes     map[string][]string `toml:"causes"`
	Search     struct {
		Prefetch *string `toml:"prefetch"`
	} `toml:"search"`
}

// ConfigError is a problem in site.toml, with the line to fix.
type ConfigError struct {
	File string
	Line int
	Col  int
	Err  error
	Hint string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 && e.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Col, e.Err)
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}
func (e *ConfigError) Unwrap() error { return e.Err }

// LoadConfig reads root/site.toml over the defaults. A missing file is not
// an error: the defaults describe a site.
func LoadConfig(root string) (Config, error) {
	cfg := Default(root)
	name := filepath.Join(root, ConfigFile)
	src, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, &ConfigError{File: name, Err: fmt.Errorf("cannot read: %w", err), Hint: "make site.toml a readable file, or run kb from the site's folder"}
	}
	return cfg, applyConfig(&cfg, name, src)
}

func applyConfig(cfg *Config, name string, src []byte) error {
	var fc fileConfig
	md, err := toml.NewDecoder(bytes.NewReader(src)).Decode(&fc)
	if err != nil {
		return decodeError(name, src, err)
	}
	var errs []error
	cfg.Lint.Severities, cfg.SeverityAliases, errs = vocabularyList(md, fc.Severities, "severities", name, src, errs)
	cfg.Lint.Statuses, cfg.StatusAliases, errs = vocabularyList(md, fc.Statuses, "statuses", name, src, errs)
	for _, k := range md.Undecoded() {
		errs = append(errs, &ConfigError{File: name, Line: keyLine(src, k), Err: fmt.Errorf("unknown key %q", k.String()),
			Hint: "check the spelling; the README lists every key site.toml accepts"})
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&cfg.Title, fc.Title)
	set(&cfg.Description, fc.Description)
	set(&cfg.Language, fc.Language)
	set(&cfg.ContentDir, fc.ContentDir)
	set(&cfg.OutputDir, fc.OutputDir)
	set(&cfg.LayoutsDir, fc.LayoutsDir)
	set(&cfg.AssetsDir, fc.AssetsDir)
	set(&cfg.StaticDir, fc.StaticDir)
	if fc.BaseURL != nil {
		cfg.BaseURL = NormalizeBaseURL(*fc.BaseURL)
	}
	if fc.TimeZone != nil {
		loc, err := time.LoadLocation(*fc.TimeZone)
		if err != nil {
			errs = append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{"timezone"}), Err: fmt.Errorf("unknown time zone %q", *fc.TimeZone),
				Hint: `use an IANA name such as "UTC" or "Europe/Berlin"`})
		} else {
			cfg.Location = loc
		}
	}
	if fc.MaxFileSize != nil {
		n, err := ParseSize(*fc.MaxFileSize)
		if err != nil {
			errs = append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{"max_file_size"}), Err: err, Hint: `write a size such as "8MB" or "512KB"`})
		} else {
			cfg.MaxFileSize = n
		}
	}
	if fc.Recurrence != nil {
		d, ok := timeline.ParseDuration(*fc.Recurrence)
		if !ok {
			errs = append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{"recurrence_window"}), Err: fmt.Errorf("recurrence_window %q is not a length of time", *fc.Recurrence), Hint: `write a length of time such as "60 days"`})
		} else {
			cfg.RecurrenceWindow = d
		}
	}
	if p := fc.Search.Prefetch; p != nil {
		switch *p {
		case PrefetchIntent, PrefetchIdle:
			cfg.SearchPrefetch = *p
		default:
			errs = append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{"search", "prefetch"}), Err: fmt.Errorf("search.prefetch %q is not a loading policy", *p),
				Hint: `write "intent" (load search when the reader focuses a search box: the default) or "idle" (load it in the background after each page)`})
		}
	}
	if b := fc.Lint.Banner; b != nil {
		switch *b {
		case BannerDrafts, BannerAlways, BannerNever:
			cfg.LintBanner = *b
		default:
			errs = append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{"lint", "banner"}), Err: fmt.Errorf("lint.banner %q is not a choice of pages", *b),
				Hint: `write "drafts" (the default: a banner on postmortems whose status says draft, a quiet note on the others), "always" or "never"`})
		}
	}
	errs = append(errs, applyRepo(cfg, name, src, fc.RepoURL, fc.Branch, fc.RepoPath)...)
	errs = append(errs, applyRules(cfg, name, src, &fc)...)
	return errors.Join(errs...)
}

// applyRules reads the [sections], [lint] and vocabulary parts of
// site.toml into the lint configuration, checking every key and rule name
// they mention.
func applyRules(cfg *Config, name string, src []byte, fc *fileConfig) []error {
	var errs []error
	bad := func(key toml.Key, hint, format string, args ...any) {
		errs = append(errs, &ConfigError{File: name, Line: keyLine(src, key), Err: fmt.Errorf(format, args...), Hint: hint})
	}
	for _, k := range sortedKeys(fc.Sections.Aliases) {
		if markup.Slug(k) != k {
			bad(toml.Key{"sections", "aliases", k}, "section keys are lower case words joined by hyphens, like action-items", "section key %q is not a valid key", k)
			continue
		}
		cfg.Aliases[k] = append(cfg.Aliases[k], fc.Sections.Aliases[k]...)
	}
	for k, p := range fc.Sections.Prompts {
		cfg.Prompts[k] = p
	}
	known := func(k string) bool { _, ok := cfg.Aliases[k]; return ok }
	checkKeys := func(keys []string, at toml.Key) []string {
		var ok []string
		for _, k := range keys {
			if !known(k) {
				bad(at, "use a canonical key such as impact, root-cause or action-items, or define it under [sections.aliases]", "unknown section key %q", k)
				continue
			}
			ok = append(ok, k)
		}
		return ok
	}
	checkRules := func(ids []string, at toml.Key) []string {
		for _, id := range ids {
			if !lint.KnownRule(id) {
				bad(at, "the README lists every rule", "unknown lint rule %q", id)
			}
		}
		return ids
	}
	if fc.Sections.Required != nil {
		cfg.Lint.Required = checkKeys(*fc.Sections.Required, toml.Key{"sections", "required"})
		if cfg.Lint.Required == nil {
			cfg.Lint.Required = []string{}
		}
	}
	if fc.Sections.Recommended != nil {
		cfg.Lint.Recommended = checkKeys(*fc.Sections.Recommended, toml.Key{"sections", "recommended"})
		if cfg.Lint.Recommended == nil {
			cfg.Lint.Recommended = []string{}
		}
	}
	for _, p := range fc.Sections.Placeholders {
		if _, err := regexp.Compile(p); err != nil {
			bad(toml.Key{"sections", "placeholders"}, "placeholders are regular expressions (RE2 syntax)", "placeholder %q: %v", p, err)
			continue
		}
		cfg.Placeholders = append(cfg.Placeholders, p)
	}
	cfg.Lint.Aliases = cfg.Aliases
	cfg.Lint.Disabled = checkRules(fc.Lint.Disable, toml.Key{"lint", "disable"})
	for i, o := range fc.Lint.Overrides {
		lo := lint.Override{Path: o.Path, Disabled: checkRules(o.Disable, toml.Key{"lint", "overrides"})}
		if o.Path == "" {
			bad(toml.Key{"lint", "overrides"}, `give each override a path, such as path = "archive/**"`, "lint override without a path")
		} else if _, err := lint.CompileGlob(o.Path); err != nil {
			line := arrayTableKeyLine(src, "lint.overrides", i, "path")
			errs = append(errs, &ConfigError{File: name, Line: line, Col: valueCol(src, line), Err: fmt.Errorf("lint override path %q: %w", o.Path, err),
				Hint: `kb globs know * (within a folder), ** (across folders) and ?; write one override per pattern, such as path = "archive/**"`})
		}
		if o.Required != nil {
			lo.Required = append([]string{}, checkKeys(*o.Required, toml.Key{"lint", "overrides"})...)
		}
		if o.Recommended != nil {
			lo.Recommended = append([]string{}, checkKeys(*o.Recommended, toml.Key{"lint", "overrides"})...)
		}
		cfg.Lint.Overrides = append(cfg.Lint.Overrides, lo)
	}
	for _, g := range []struct {
		key   string
		globs []string
	}{{"exclude", fc.Exclude}, {"logs", fc.Logs}, {"pages", fc.Pages}} {
		key := g.key
		for _, p := range g.globs {
			if _, err := lint.CompileGlob(p); err != nil {
				bad(toml.Key{key}, `write a glob such as "notes/**" or "history.md": * (within a folder), ** (across folders) and ? are special`, "%s glob %q: %v", key, p, err)
			}
		}
	}
	cfg.Exclude, cfg.Logs, cfg.Pages = fc.Exclude, fc.Logs, fc.Pages
	for k, v := range fc.Keys {
		switch v {
		case "systems", "causes", "authors", "severity", "status", "date", "title", "summary":
		default:
			bad(toml.Key{"keys", k}, "map a key to one of: systems, causes, authors, severity, status, date, title, summary", "key %q maps to %q, which kb does not read", k, v)
			continue
		}
		if cfg.Keys == nil {
			cfg.Keys = map[string]string{}
		}
		cfg.Keys[strings.ToLower(k)] = v
	}
	cfg.Lint.Systems = fc.Systems
	cfg.Lint.Causes = fc.Causes
	return errs
}

// vocabularyList reads severities or statuses: a list of allowed values
// (severities = ["SEV1", "SEV2"]), or a table of each with its aliases
// ([severities] SEV1 = ["critical", "P1"]).
func vocabularyList(md toml.MetaData, p toml.Primitive, key, name string, src []byte, errs []error) ([]string, map[string][]string, []error) {
	if !md.IsDefined(key) {
		return nil, nil, errs
	}
	bad := func() []error {
		return append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{key}), Err: fmt.Errorf("%s must be a list of values or a table of values and their aliases", key),
			Hint: fmt.Sprintf(`write %s = ["A", "B"], or [%s] with A = ["alias"]`, key, key)})
	}
	// The decoder turns a number into an empty table without a word, so
	// the type is checked first.
	switch md.Type(key) {
	case "Array":
		var list []string
		if err := md.PrimitiveDecode(p, &list); err != nil {
			return nil, nil, bad()
		}
		return list, nil, errs
	case "Hash":
	default:
		return nil, nil, bad()
	}
	var table map[string][]string
	if err := md.PrimitiveDecode(p, &table); err != nil {
		return nil, nil, append(errs, &ConfigError{File: name, Line: keyLine(src, toml.Key{key}), Err: fmt.Errorf("%s must be a list of values or a table of values and their aliases", key),
			Hint: fmt.Sprintf(`write %s = ["A", "B"], or [%s] with A = ["alias"]`, key, key)})
	}
	return sortedKeys(table), table, errs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// NormalizeBaseURL makes a base URL end in exactly one "/"; an empty one is
// the root.
func NormalizeBaseURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "/"
	}
	return strings.TrimRight(s, "/") + "/"
}

var sizeRE = regexp.MustCompile(`^(?i)\s*(\d+)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$`)

// ParseSize reads "8MB", "512KB" or a plain byte count. Units are binary
// (1 KB = 1024 bytes), as people mean them for file sizes.
func ParseSize(s string) (int64, error) {
	m := sizeRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("max_file_size %q is not a size", s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("max_file_size %q is not a size", s)
	}
	switch strings.ToLower(m[2]) {
	case "kb", "kib", "k":
		n <<= 10
	case "mb", "mib", "m":
		n <<= 20
	case "gb", "gib", "g":
		n <<= 30
	}
	if n <= 0 {
		return 0, fmt.Errorf("max_file_size must be more than zero")
	}
	return n, nil
}

// keyLine finds where a key is set; the TOML decoder does not say.
func keyLine(src []byte, k toml.Key) int {
	if len(k) == 0 {
		return 0
	}
	last := k[len(k)-1]
	table := ""
	if len(k) > 1 {
		table = strings.Join(k[:len(k)-1], ".")
	}
	cur := ""
	for i, l := range strings.Split(string(src), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			cur = strings.Trim(t, "[] ")
			if cur == strings.Join(k, ".") {
				return i + 1
			}
			continue
		}
		if cur != table {
			continue
		}
		if eq := strings.IndexByte(t, '='); eq > 0 && strings.Trim(strings.TrimSpace(t[:eq]), `"'`) == last {
			return i + 1
		}
	}
	return 0
}
