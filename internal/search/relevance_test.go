package search

import (
	"slices"
	"strings"
	"testing"
)

// relevanceDocs are incidents written for the relevance tests: each is
// the one a query below means, among near misses that share some of its
// words, and the behaviour-test fixture. (Synthetic noise would not do:
// its random text holds these very words.)
func relevanceDocs() []Document {
	docs := []Document{
		{
			ID: "2024-03-11-db-clients", Title: "Orders API fails while the database refuses new clients",
			Date: day("2024-03-11"), Severity: "SEV2", Systems: []string{"orders-api", "postgres"},
			Summary: "Checkout errors for 22 minutes.",
			Sections: []Section{
				{Key: "timeline", Title: "Timeline", Anchor: "timeline",
					Text: "02:14 the API logged pq: sorry, too many clients already (SQLSTATE 53300) on every request. 02:36 pool size reduced."},
				{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
					Text: "A new worker fleet opened its own pool of forty clients per process."},
			},
		},
		{
			ID: "2024-05-02-api-clients", Title: "Orders API slow for mobile clients",
			Date: day("2024-05-02"), Severity: "SEV3", Systems: []string{"orders-api"},
			Summary: "Mobile clients waited seconds for order lists.",
			Sections: []Section{{Title: "What happened", Anchor: "what-happened",
				Text: "A missing index made the order list query scan the whole table for every request."}},
		},
		{
			ID: "2023-06-20-session-store", Title: "Users signed out across the site",
			Date: day("2023-06-20"), Severity: "SEV2", Systems: []string{"redis"},
			Summary: "Everyone was logging out every few minutes.",
			Sections: []Section{{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
				Text: "The session keys in Redis were given a five-minute expiry by a config typo, so sessions vanished and users kept logging out."}},
		},
		{
			ID: "2023-08-08-redis-memory", Title: "Redis cache eviction storm",
			Date: day("2023-08-08"), Severity: "SEV3", Systems: []string{"redis"},
			Summary: "Cache hit rate fell to zero after an eviction storm.",
			Sections: []Section{{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
				Text: "maxmemory was reached and keys were evicted faster than they were written."}},
		},
		{
			ID: "2022-11-30-deploy-revert", Title: "Bad deploy of the billing service",
			Date: day("2022-11-30"), Severity: "SEV2", Systems: []string{"billing"},
			Summary: "Invoices were sent twice.",
			Sections: []Section{{Key: "resolution", Title: "Resolution", Anchor: "resolution",
				Text: "The release was rolled back within ten minutes and duplicates were voided."}},
		},
		{
			ID: "2022-12-05-billing-latency", Title: "Billing service latency after deploy",
			Date: day("2022-12-05"), Severity: "SEV4", Systems: []string{"billing"},
			Summary: "Slow invoice pages.",
			Sections: []Section{{Key: "resolution", Title: "Resolution", Anchor: "resolution",
				Text: "We rolled the cache warmer forward and traffic moved back to normal."}},
		},
		{
			ID: "2025-01-15-node-pressure", Title: "Batch pods killed under memory pressure",
			Date: day("2025-01-15"), Severity: "SEV3", Systems: []string{"batch"},
			MentionedSystems: []string{"kubernetes"},
			Summary:          "Nightly jobs failed.",
			Sections: []Section{{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
				Text: "The kubelet started pod eviction when node memory ran low; the Kubernetes scheduler kept placing jobs on the same nodes."}},
		},
		{
			ID: "2024-09-09-cluster-upgrade", Title: "Kubernetes control plane upgrade stalls deploys",
			Date: day("2024-09-09"), Severity: "SEV2", Systems: []string{"kubernetes"},
			Summary: "Deploys hung for an hour during the 1.29 upgrade.",
			Sections: []Section{{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
				Text: "An admission webhook was incompatible with the new API server version."}},
		},
		{
			ID: "2024-10-01-typo-title", Title: "Kuberneste ingress returns 502",
			Date: day("2024-10-01"), Severity: "SEV3", Systems: []string{"ingress"},
			Summary: "An ingress controller crashed on a malformed annotation.",
			Sections: []Section{{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
				Text: "A controller bug; no upgrade was in progress and the cluster itself was healthy."}},
		},
		{
			ID: "2024-02-02-pg-upgrade", Title: "Postgres major upgrade runs long",
			Date: day("2024-02-02"), Severity: "SEV4", Systems: []string{"postgres"},
			Summary: "A maintenance window overran by forty minutes.",
			Sections: []Section{{Title: "Notes", Anchor: "notes",
				Text: "The upgrade rewrote every index; the clients of the reporting service waited."}},
		},
		{
			ID: "2023-12-12-k8s-dns", Title: "Kubernetes DNS timeouts",
			Date: day("2023-12-12"), Severity: "SEV3", Systems: []string{"kubernetes"},
			Summary: "Service lookups timed out for some pods.",
			Sections: []Section{{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
				Text: "The DNS pods ran out of memory under a burst of lookups from a new batch job."}},
		},
	}
	return append(docs, fixture()...)
}

// TestRelevance holds the searches a reader makes during an outage to
// finding the incident they mean in the first three results.
func TestRelevance(t *testing.T) {
	ix := openBuilt(t, relevanceDocs(), Options{ShardDocs: 8, FirstShardDocs: 4})
	tests := []struct {
		name, query string
		want        string   // in the top 3
		not         []string // not among the hits at all
		relaxed     bool
		missing     []string
	}{
		{name: "pasted error line", query: "ERROR 2024/03/11 02:14:07 handler.go:88: pq: sorry, too many clients already (SQLSTATE 53300) retry=3",
			want: "2024-03-11-db-clients", relaxed: true, missing: []string{"2024/03/11", "02:14:07", "handler.go:88:", "retry=3"}},
		{name: "a word the incident never uses", query: "session logout redis kerberos ",
			want: "2023-06-20-session-store", relaxed: true, missing: []string{"kerberos"}},
		{name: "a compound written open", query: "session logout redis ", want: "2023-06-20-session-store"},
		{name: "rollback finds rolled back", query: "billing rollback ", want: "2022-11-30-deploy-revert",
			not: []string{"2022-12-05-billing-latency"}},
		{name: "open form finds the compound", query: "billing rolled back ", want: "2022-11-30-deploy-revert"},
		{name: "evicted finds eviction", query: "pods evicted ", want: "2025-01-15-node-pressure"},
		{name: "eviction finds evicted", query: "keys eviction ", want: "2023-08-08-redis-memory"},
		{name: "filter on a mentioned system", query: "system:kubernetes memory ", want: "2025-01-15-node-pressure"},
		{name: "typo beside an exact word", query: "kubernetes upgrade", want: "2024-09-09-cluster-upgrade",
			not: []string{"2024-10-01-typo-title"}},
		{name: "typo alone still forgiven", query: "kubernets upgrade ", want: "2024-09-09-cluster-upgrade"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, ix, Request{Query: tt.query, Size: 10})
			got := ids(res)
			if i := slices.Index(got, tt.want); i < 0 || i > 2 {
				t.Errorf("%q: %s at %d, want in the top 3 of %v", tt.query, tt.want, i, got)
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("%q: %s among the hits %v", tt.query, n, got)
				}
			}
			if res.Relaxed != tt.relaxed {
				t.Errorf("%q: relaxed = %v, want %v", tt.query, res.Relaxed, tt.relaxed)
			}
			if !slices.Equal(res.Missing, tt.missing) {
				t.Errorf("%q: missing = %q, want %q", tt.query, res.Missing, tt.missing)
			}
		})
	}
}

// A relaxed search ranks an incident with more of the words above one
// with fewer, whatever their scores.
func TestRelaxedRanksByCoverage(t *testing.T) {
	docs := []Document{
		{ID: "a-two", Title: "alpha bravo", Sections: []Section{{Text: "alpha bravo alpha bravo"}}},
		{ID: "b-three", Title: "note", Sections: []Section{{Text: "a long text that names alpha once and bravo once and charlie once among many other words of little interest to anyone"}}},
		{ID: "c-one", Title: "alpha alpha alpha", Sections: []Section{{Text: "alpha alpha alpha alpha"}}},
	}
	ix := openBuilt(t, docs, Options{})
	res := search(t, ix, Request{Query: "alpha bravo charlie delta "})
	if got, want := ids(res), []string{"b-three", "a-two", "c-one"}; !slices.Equal(got, want) {
		t.Errorf("hits %v, want %v", got, want)
	}
	if !res.Relaxed || !slices.Equal(res.Missing, []string{"delta"}) || res.Total != 3 {
		t.Errorf("relaxed %v, missing %q, total %d; want true, [delta], 3", res.Relaxed, res.Missing, res.Total)
	}
	// Every word present: only the incidents with all of them.
	if res := search(t, ix, Request{Query: "alpha bravo "}); res.Relaxed || res.Total != 2 {
		t.Errorf("alpha bravo: relaxed %v, total %d; want false, 2", res.Relaxed, res.Total)
	}
	// A long query keeps the incidents with some of its words.
	long := "alpha bravo charlie x1 x2 x3 x4 "
	if res := search(t, ix, Request{Query: long}); res.Total != 3 || res.Hits[0].ID != "b-three" {
		t.Errorf("%q: total %d, hits %v; want 3, b-three first", long, res.Total, ids(res))
	}
	if res := search(t, ix, Request{Query: strings.Repeat("alpha ", 4000)}); res.Total != 3 {
		t.Errorf("a repeated word: total %d, want 3", res.Total)
	}
}

// Under a filter of a system, the incidents that declare it come before
// those that only mention it, newest first in each; facets count both, as
// the system's page does.
func TestFilterDeclaredFirst(t *testing.T) {
	ix := openBuilt(t, relevanceDocs(), Options{ShardDocs: 8, FirstShardDocs: 4})
	for _, q := range []string{"system:kubernetes", "system:Kubernetes "} {
		res := search(t, ix, Request{Query: q, Facets: true})
		want := []string{"2024-09-09-cluster-upgrade", "2023-12-12-k8s-dns", "2025-01-15-node-pressure"}
		if got := ids(res); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
		var n int
		for _, fc := range res.Facets["system"] {
			if fc.Value == "kubernetes" {
				n = fc.Count
			}
		}
		if n != 3 {
			t.Errorf("%q: facet kubernetes = %d, want 3", q, n)
		}
	}
	// The manifest's counts, shown before any query, agree.
	res := search(t, ix, Request{Facets: true})
	for _, fc := range res.Facets["system"] {
		if fc.Value == "kubernetes" && fc.Count != 3 {
			t.Errorf("all incidents: facet kubernetes = %d, want 3", fc.Count)
		}
	}
}

// The open form of a compound is highlighted where it stands, the stop
// word included, and not where only its first word does.
func TestCompoundHighlight(t *testing.T) {
	ix := openBuilt(t, []Document{{
		ID: "a", Title: "Sessions lost",
		Sections: []Section{{Title: "What happened", Anchor: "w",
			Text: "The logs are noisy. Later users kept logging out of the site."}},
	}}, Options{})
	res := search(t, ix, Request{Query: "logout ", Highlight: true})
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v, want a", ids(res))
	}
	got := strings.Join(res.Hits[0].Fragments, " ")
	if !strings.Contains(got, "<mark>logging out</mark>") {
		t.Errorf("fragments %q: want logging out marked", got)
	}
	if strings.Contains(got, "<mark>logs") {
		t.Errorf("fragments %q: logs marked, though no out follows it", got)
	}
}
