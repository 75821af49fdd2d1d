package site

import (
	"errors"
	"strings"
	"testing"
)

// TestSearchPrefetch: search.prefetch is "intent" unless site.toml says
// "idle"; any other value is an error at its line with a hint, not a
// silent fallback that would leave a team's visitors unready offline.
func TestSearchPrefetch(t *testing.T) {
	tests := []struct {
		src, want, err string
	}{
		{src: ``, want: PrefetchIntent},
		{src: "[search]\nprefetch = \"idle\"\n", want: PrefetchIdle},
		{src: "[search]\nprefetch = \"intent\"\n", want: PrefetchIntent},
		{src: "title = \"x\"\n[search]\nprefetch = \"eager\"\n", err: `site.toml:3: search.prefetch "eager" is not a loading policy`},
		{src: "[search]\nprefetch = \"Idle\"\n", err: `search.prefetch "Idle"`},
		{src: "[search]\npreload = \"idle\"\n", err: `unknown key "search.preload"`},
	}
	for _, tt := range tests {
		cfg := Default(".")
		err := applyConfig(&cfg, "site.toml", []byte(tt.src))
		if tt.err != "" {
			var ce *ConfigError
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &ce) || ce.Hint == "" {
				t.Errorf("%q: error %v, want %q with a hint", tt.src, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		if cfg.SearchPrefetch != tt.want {
			t.Errorf("%q: prefetch %q, want %q", tt.src, cfg.SearchPrefetch, tt.want)
		}
	}
}
