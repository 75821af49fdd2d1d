package search

import (
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture is a small fictional corpus for behaviour tests.
func fixture() []Document {
	return []Document{
		{
			ID:       "2023-04-05-db-failover",
			Title:    "Primary database failover stalls checkout",
			Date:     day("2023-04-05"),
			Severity: "SEV1",
			Status:   "Resolved",
			Systems:  []string{"Postgres", "checkout"},
			Causes:   []string{"config-change"},
			Summary:  "Checkout returned errors for 38 minutes while the Postgres primary failed over.",
			Sections: []Section{
				{Key: "impact", Title: "Impact", Anchor: "impact",
					Text: "Customers could not complete orders. About 4,100 checkout attempts failed with HTTP 503."},
				{Key: "timeline", Title: "Timeline", Anchor: "timeline",
					Text: "09:12 replication lag alert fired. 09:20 the primary stopped accepting writes. 09:50 failover completed by hand."},
				{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
					Text: "A configuration change lowered the connection pool limit on the replicas. When the primary failed, the promoted replica exhausted its connection pool and refused new sessions."},
				{Key: "action-items", Title: "Action items", Anchor: "action-items",
					Text: "Alert on pool saturation. Test failover monthly in staging."},
			},
		},
		{
			ID:       "2023-09-18-vault-cert",
			Title:    "Expired certificate locks services out of Vault",
			Date:     day("2023-09-18"),
			Severity: "SEV2",
			Status:   "Resolved",
			Systems:  []string{"Vault", "auth"},
			Causes:   []string{"expired-certificate"},
			Summary:  "Services could not fetch secrets for two hours after the Vault TLS certificate expired.",
			Sections: []Section{
				{Key: "impact", Title: "Impact", Anchor: "impact",
					Text: "Deploys failed and new pods could not start because they could not read secrets."},
				{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
					Text: "The certificate was issued by hand two years earlier and nobody owned its renewal. The rotation job skipped certificates without a label."},
				{Key: "resolution", Title: "Resolution", Anchor: "resolution",
					Text: "An operator issued a new certificate and restarted the Vault cluster."},
			},
		},
		{
			ID:       "2024-01-22-kafka-lag",
			Title:    "Kafka consumer lag delays notifications",
			Date:     day("2024-01-22"),
			Severity: "SEV3",
			Status:   "Monitoring",
			Systems:  []string{"Kafka", "notifications"},
			Causes:   []string{"capacity"},
			Summary:  "Email and push notifications arrived up to three hours late.",
			Sections: []Section{
				{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
					Text: "A partition rebalance moved most partitions onto one consumer, which fell behind. Consumer lag peaked at 2.4 million messages."},
				{Key: "resolution", Title: "Resolution", Anchor: "resolution",
					Text: "We added consumers and pinned the partition assignment strategy."},
			},
		},
		{
			ID:       "2024-06-30-dns",
			Title:    "DNS change takes the status page offline",
			Date:     day("2024-06-30"),
			Severity: "SEV2",
			Status:   "Resolved",
			Systems:  []string{"DNS"},
			Causes:   []string{"config-change", "human-error"},
			Summary:  "A typo in a DNS record sent status page traffic to a retired load balancer.",
			Sections: []Section{
				{Key: "timeline", Title: "Timeline", Anchor: "timeline",
					Text: "14:02 record updated. 14:40 first customer report. 14:55 record reverted."},
				{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
					Text: "The record pointed at an old load balancer. The change was not reviewed because the DNS repository had no required reviewers."},
				{Key: "lessons", Title: "Lessons learned", Anchor: "lessons-learned",
					Text: "Small changes still need review. The load balancer should have refused traffic for unknown hosts."},
			},
		},
		{
			ID:       "2024-11-02-postgres-disk",
			Title:    "Postgres disk fills during vacuum",
			Date:     day("2024-11-02"),
			Severity: "SEV2",
			Status:   "Resolved",
			Systems:  []string{"Postgres"},
			Causes:   []string{"capacity", "disk-full"},
			Summary:  "The reporting database went read-only when its disk filled.",
			Sections: []Section{
				{Key: "root-cause", Title: "Root cause", Anchor: "root-cause",
					Text: "A long running vacuum on the events table needed more temporary space than the disk had free."},
				{Key: "resolution", Title: "Resolution", Anchor: "resolution",
					Text: "We grew the volume and rescheduled the vacuum for the weekend."},
			},
		},
		{
			ID:       "2025-02-14-markup",
			Title:    "Release notes page renders <script> tags",
			Date:     day("2025-02-14"),
			Severity: "SEV4",
			Status:   "Open",
			Systems:  []string{"web-frontend"},
			Causes:   []string{"software-bug"},
			Summary:  `A changelog entry containing <script>alert("x")</script> was shown unescaped & ran.`,
			Sections: []Section{
				{Key: "root-cause", Title: "Root cause <b>bold</b>", Anchor: "root-cause",
					Text: `The template used a raw filter on changelog text such as <img src=x onerror=alert(1)> and "quotes" & ampersands.`},
			},
		},
		{
			ID:       "undated-legacy-outage",
			Title:    "Legacy batch scheduler outage",
			Severity: "SEV3",
			Systems:  []string{"scheduler"},
			Summary:  "Nightly batch jobs did not run. The date of this incident was not recorded.",
			Sections: []Section{
				{Title: "Notes", Anchor: "notes",
					Text: "The cron host was decommissioned while still running the batch scheduler."},
			},
		},
	}
}
