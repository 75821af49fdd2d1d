package search

import (
	"fmt"
	"strings"
	"testing"
)

// words returns n distinct words, w0 to w(n-1).
func words(n int) string {
	var ws []string
	for i := range n {
		ws = append(ws, fmt.Sprintf("w%d", i))
	}
	return strings.Join(ws, " ")
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"   ", ""},
		{"postgres", "postgres*"},
		{"postgres ", "postgres"},
		{"postgres failover", "postgres failover*"},
		{"Postgres  Failover\t", "Postgres Failover"},
		{`"connection pool"`, `"connection pool"`},
		{`"connection pool" exhausted`, `"connection pool" exhausted*`},
		{`"connection po`, `"connection po"`}, // unterminated: runs to the end
		{`a"b c"`, `a "b c"`},
		{"-postgres", `-postgres`},
		{"vault -postgres", `vault -postgres`},
		{"-postgres vault", `vault* -postgres`},
		{`-"root cause"`, `-"root cause"`},
		{"- vault", "vault*"}, // a lone dash is nothing
		{"--vault", "-vault"},
		{"system:vault", `system:"vault"`},
		{"System:Vault cause:config-change", `system:"vault" cause:"config-change"`},
		{"systems:vault sev:SEV1 status:resolved year:2023", `system:"vault" severity:"sev1" status:"resolved" year:"2023"`},
		{"system:vault system:postgres system:vault", `system:"vault" system:"postgres"`},
		{`system:"mobile api" lag`, `lag* system:"mobile api"`},
		{"-system:vault", `-system:"vault"`},
		{"system:", ""},                   // still typing the value
		{"system: vault", "vault*"},       // empty value
		{"10:42 outage", "10:42 outage*"}, // not a filter
		{"http://x.example", "http://x.example*"},
		{"foo:bar", "foo:bar*"}, // unknown field: a word
		{"mobile-api", "mobile-api*"},
		{"café crème", "café crème*"},
		{`lag "`, `lag`}, // a lone quote is an empty phrase
		{"year:2023 postgres", `postgres* year:"2023"`},
		{"postgres year:2023", `postgres year:"2023"`}, // the filter ends the input, not the word
		{"postgres -vault", "postgres -vault"},
		{"redis redis timeout", "redis timeout*"},              // a repeated word counts once
		{"Redis redis ", "Redis"},                              // in any case
		{"redis -redis", "redis -redis"},                       // an exclusion is not a repeat
		{`"a b" "A B" a`, `"a b" a*`},                          // nor a word of a phrase
		{strings.Repeat("w ", 40), "w"},                        // 40 times one word
		{words(40), words(MaxQueryWords)},                      // cut to the first words
		{words(31) + " system:x y", words(31) + ` system:"x"`}, // filters count
		{strings.Repeat("é", 300), strings.Repeat("é", MaxQueryBytes/2) + "*"},
	}
	for _, tt := range tests {
		if got := parseQuery(tt.in).String(); got != tt.want {
			t.Errorf("parseQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`"a b" -c system:"d e" f:g -`, "year:2023", `-"`, "a\u00a0b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := parseQuery(s)
		for _, tm := range q.Terms {
			if tm.Text == "" {
				t.Errorf("parseQuery(%q): empty term", s)
			}
		}
		// The canonical form parses to itself.
		if again := parseQuery(q.String() + " ").String(); again != q.String() && !hasPrefixTerm(q) && len(q.String()) < MaxQueryBytes {
			t.Errorf("parseQuery(%q) = %s, reparsed %s", s, q, again)
		}
	})
}

func hasPrefixTerm(q parsedQuery) bool {
	for _, t := range q.Terms {
		if t.Prefix {
			return true
		}
	}
	return false
}
