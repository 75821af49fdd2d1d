package site

import (
	"strings"
	"testing"
)

// TestVocabularyLists: severities and statuses are a list or a table of
// aliases; anything else is an error naming its line, not an empty list
// that would let every value through.
func TestVocabularyLists(t *testing.T) {
	tests := []struct {
		src, err string
		sev      string
		alias    string
	}{
		{src: `severities = ["SEV1", "SEV2"]`, sev: "SEV1|SEV2"},
		{src: "[severities]\nSEV1 = [\"Critical\"]\nSEV2 = []\n", sev: "SEV1|SEV2", alias: "Critical"},
		{src: "severities = 3\n", err: "site.toml:1: severities must be a list"},
		{src: "x = 1\nseverities = \"SEV1\"\n", err: "site.toml:2: severities must be a list"},
		{src: "severities = [1, 2]\n", err: "severities must be a list"},
	}
	for _, tt := range tests {
		cfg := Default(".")
		err := applyConfig(&cfg, "site.toml", []byte(tt.src))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.src, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		if got := strings.Join(cfg.Lint.Severities, "|"); got != tt.sev {
			t.Errorf("%q: severities %q, want %q", tt.src, got, tt.sev)
		}
		if tt.alias != "" && strings.Join(cfg.SeverityAliases["SEV1"], "|") != tt.alias {
			t.Errorf("%q: aliases %v", tt.src, cfg.SeverityAliases)
		}
	}
}
