package corpus

// The vocabulary below is invented for kb's benchmarks and tests. Lists are
// slices, never maps, so that iterating them cannot change the output.

// system is something that can break: a product, a piece of infrastructure
// or one of the made-up services of the fictional company.
type system struct {
	id   string // as written in metadata: postgres, api-gateway
	name string // as written in prose: Postgres, the API gateway
	kind string // db, cache, queue, net, infra, app, obs, sec
}

// systems are ordered by how often they break: the Zipf draw favours the
// first ones.
var systems = []system{
	{"postgres", "Postgres", "db"},
	{"kubernetes", "Kubernetes", "infra"},
	{"redis", "Redis", "cache"},
	{"api-gateway", "the API gateway", "net"},
	{"kafka", "Kafka", "queue"},
	{"dns", "DNS", "net"},
	{"cdn", "the CDN", "net"},
	{"pgbouncer", "PgBouncer", "db"},
	{"vault", "Vault", "sec"},
	{"elasticsearch", "Elasticsearch", "db"},
	{"nginx", "nginx", "net"},
	{"s3", "S3", "infra"},
	{"ci-runners", "the CI runners", "infra"},
	{"auth-service", "the auth service", "app"},
	{"payments", "the payments service", "app"},
	{"rabbitmq", "RabbitMQ", "queue"},
	{"etcd", "etcd", "infra"},
	{"mysql", "MySQL", "db"},
	{"load-balancer", "the load balancer", "net"},
	{"prometheus", "Prometheus", "obs"},
	{"grafana", "Grafana", "obs"},
	{"consul", "Consul", "infra"},
	{"memcached", "memcached", "cache"},
	{"cassandra", "Cassandra", "db"},
	{"mongodb", "MongoDB", "db"},
	{"blob-store", "the blob store", "infra"},
	{"orders", "the orders service", "app"},
	{"checkout", "checkout", "app"},
	{"search", "the search service", "app"},
	{"notifications", "the notifications service", "app"},
	{"email-relay", "the email relay", "app"},
	{"haproxy", "HAProxy", "net"},
	{"terraform", "Terraform", "infra"},
	{"argo-cd", "Argo CD", "infra"},
	{"zookeeper", "ZooKeeper", "infra"},
	{"clickhouse", "ClickHouse", "db"},
	{"istio", "Istio", "net"},
	{"cert-manager", "cert-manager", "sec"},
	{"ldap", "LDAP", "sec"},
	{"sso", "single sign-on", "sec"},
	{"ledgerd", "ledgerd", "app"},
	{"quill-router", "quill-router", "net"},
	{"hermes-push", "hermes-push", "app"},
	{"tallyman", "tallyman", "app"},
	{"bramble-cache", "bramble-cache", "cache"},
	{"atlas-scheduler", "atlas-scheduler", "infra"},
	{"foxglove-api", "foxglove-api", "app"},
	{"inkwell-renderer", "inkwell-renderer", "app"},
	{"marlin-ingest", "marlin-ingest", "queue"},
	{"pelican-billing", "pelican-billing", "app"},
	{"sundial-cron", "sundial-cron", "infra"},
	{"wombat-queue", "wombat-queue", "queue"},
	{"kestrel-auth", "kestrel-auth", "sec"},
	{"juniper-flags", "juniper-flags", "app"},
	{"otter-media", "otter-media", "app"},
	{"lantern-metrics", "lantern-metrics", "obs"},
	{"basalt-storage", "basalt-storage", "infra"},
	{"heron-webhooks", "heron-webhooks", "app"},
	{"cobalt-export", "cobalt-export", "app"},
	{"thimble-sessions", "thimble-sessions", "cache"},
}

func systemIndex(id string) int {
	for i, s := range systems {
		if s.id == id {
			return i
		}
	}
	return -1
}

var firstNames = []string{
	"Priya", "Tomasz", "Amara", "Jonas", "Mei", "Rafael", "Ines", "Kwame", "Yuki", "Sven",
	"Leila", "Dmitri", "Chiara", "Oluwaseun", "Hannah", "Mateo", "Aiko", "Farid", "Greta", "Nikhil",
	"Rosa", "Emeka", "Ingrid", "Tariq", "Lucia", "Bao", "Astrid", "Kofi", "Noor", "Pavel",
	"Camille", "Hiroshi", "Zanele", "Oskar", "Fatima", "Diego", "Elif", "Ruairi", "Selin", "Tendai",
	"Marisol", "Anders", "Wanjiru", "Ilya", "Beatriz", "Kaito", "Saoirse", "Arjun", "Linnea", "Yusuf",
}

var lastNames = []string{
	"Raman", "Kowalczyk", "Okafor", "Lindqvist", "Chen", "Alvarez", "Moreau", "Mensah", "Tanaka", "Berg",
	"Haddad", "Volkov", "Romano", "Adeyemi", "Fischer", "Ortega", "Sato", "Karimi", "Nilsson", "Iyer",
	"Castillo", "Nwosu", "Halvorsen", "Qureshi", "Ferreira", "Nguyen", "Eriksen", "Asante", "Rahman", "Novak",
	"Dubois", "Watanabe", "Dlamini", "Strand", "Benali", "Navarro", "Yilmaz", "Byrne", "Aydin", "Moyo",
	"Delgado", "Holm", "Kariuki", "Petrov", "Souza", "Kobayashi", "Gallagher", "Menon", "Sjöberg", "Demir",
}

var teams = []string{
	"platform", "database", "SRE", "networking", "payments", "identity", "storage", "observability",
	"developer productivity", "core API", "growth", "data engineering", "mobile backend", "security",
}

var regions = []string{
	"eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1", "ap-northeast-1",
	"fra1", "ams3", "nyc2", "sfo3", "sgp1", "lon1",
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

var customerKinds = []string{
	"enterprise customers", "free-tier users", "mobile users", "API clients", "merchants",
	"internal staff", "customers in Europe", "customers on the legacy plan", "partners using webhooks",
	"new sign-ups", "users of the web dashboard", "batch export customers",
}

var tools = []string{
	"Grafana", "the on-call pager", "the status page", "Sentry", "the incident channel",
	"the deploy dashboard", "Kibana", "the synthetic checks", "the SLO dashboard", "the runbook",
}

var channels = []string{"#incidents", "#ops", "#sre-oncall", "#db-team", "#platform", "#war-room", "#eng-alerts"}

// Filler vocabulary: combined by fillerSentence into prose that reads like
// the asides every postmortem has, and gives a search index thousands of
// distinct words to chew on.
var (
	fillAdj = []string{
		"noisy", "brittle", "undocumented", "stale", "overloaded", "unexpected", "gradual", "intermittent",
		"silent", "partial", "transient", "cascading", "misleading", "redundant", "outdated", "fragile",
		"manual", "automated", "shared", "regional", "critical", "legacy", "temporary", "long-lived",
		"unbounded", "aggressive", "conservative", "ambiguous", "inconsistent", "healthy", "degraded",
		"hidden", "obvious", "slow", "sudden", "steady", "periodic", "nightly", "weekly", "cross-region",
		"hand-written", "generated", "forgotten", "orphaned", "half-finished", "duplicated", "throttled",
		"sticky", "idle", "warm", "cold", "synthetic", "upstream", "downstream", "internal", "external",
		"optional", "mandatory", "default", "custom", "vendored",
		"flaky", "lopsided", "oversized", "undersized", "misconfigured", "mislabelled", "unpatched", "patched",
		"pinned", "floating", "sharded", "replicated", "single-homed", "multi-tenant", "noisy-neighbour",
		"read-only", "write-heavy", "bursty", "spiky", "seasonal", "quarterly", "leftover", "experimental",
		"deprecated", "unowned", "well-tested", "untested", "hard-coded", "dynamic", "opaque", "verbose",
		"terse", "chatty", "lossy", "best-effort",
	}
	fillNoun = []string{
		"dashboard", "runbook", "alert", "threshold", "playbook", "handover", "checklist", "pipeline",
		"rollout", "canary", "replica", "shard", "partition", "consumer", "producer", "sidecar", "daemon",
		"cron job", "health check", "readiness probe", "liveness probe", "circuit breaker", "retry budget",
		"timeout", "connection pool", "queue depth", "error budget", "page", "escalation", "rota",
		"feature flag", "migration", "backfill", "snapshot", "restore drill", "failover", "quorum",
		"lease", "heartbeat", "load test", "capacity plan", "change window", "freeze", "staging cluster",
		"node pool", "autoscaler", "budget alarm", "quota", "token", "keyring", "certificate chain",
		"resolver", "zone file", "TTL", "origin", "edge node", "purge", "webhook", "batch job", "index",
		"vacuum", "checkpoint", "write-ahead log", "compaction", "tombstone", "offset", "lag graph",
		"trace", "span", "log line", "sampling rate", "cardinality", "label", "exporter", "scrape",
		"manifest", "chart", "overlay", "secret", "service account", "role binding", "policy", "audit log",
		"ticket", "handbook", "wiki page", "diagram", "spreadsheet", "postmortem review", "retro",
		"pairing session", "game day", "tabletop exercise", "deploy train", "release branch", "hotfix",
		"load shedder", "bulkhead", "dead-letter queue", "idempotency key", "schema registry", "blue-green switch",
		"connection string", "environment variable", "init container", "admission webhook", "node selector",
		"taint", "toleration", "pod disruption budget", "priority class", "ingress rule", "egress policy",
		"NAT gateway", "peering link", "route table", "security group", "firewall rule", "bastion host",
		"jump box", "build cache", "artifact store", "container image", "base image", "package mirror",
		"lock file", "dependency bump", "changelog", "release note", "rollback plan", "kill switch",
		"rate card", "cost report", "billing alarm", "usage report", "data retention policy", "archive bucket",
		"cold storage tier", "read path", "write path", "hot partition", "skewed key", "fan-out",
		"fan-in", "batch window", "maintenance window", "on-call handover", "pager rotation", "escalation policy",
		"status update", "customer notice", "support macro", "incident template", "severity matrix",
		"service catalogue", "ownership map", "dependency graph", "architecture diagram", "threat model",
	}
	fillVerb = []string{
		"masked", "amplified", "delayed", "hid", "exposed", "confirmed", "contradicted", "outlived",
		"duplicated", "starved", "flooded", "drained", "throttled", "rebalanced", "reshuffled", "pinned",
		"overwrote", "skipped", "retried", "swallowed", "truncated", "rotated", "invalidated", "evicted",
		"promoted", "demoted", "cordoned", "restarted", "rescheduled", "backfilled", "re-indexed",
		"replayed", "paged", "escalated", "silenced", "muted", "snoozed", "tuned", "widened", "narrowed",
		"outpaced", "undercounted", "overcounted", "short-circuited", "deadlocked", "orphaned", "leaked",
		"clobbered", "shadowed", "misrouted", "buffered", "batched", "coalesced", "debounced", "sampled",
		"mirrored", "shadow-tested", "canaried", "quarantined", "drained", "fenced", "reaped", "recycled",
	}
	fillAdv = []string{
		"quietly", "slowly", "suddenly", "repeatedly", "briefly", "eventually", "partially", "mostly",
		"rarely", "reliably", "unexpectedly", "predictably", "immediately", "gradually", "intermittently",
		"consistently", "surprisingly", "barely", "clearly", "only",
	}
	fillPeople = []string{
		"the on-call engineer", "the incident commander", "the database team", "a support engineer",
		"the release manager", "the platform lead", "a new hire on their second rotation", "the scribe",
		"the customer success team", "the vendor's support desk", "the security on-call", "the SRE on shift",
	}
)

var companySuffixes = []string{"Labs", "GmbH", "Ltd", "Inc.", "Systems", "Retail", "Health", "Logistics", "Media", "Bank", "Games", "Foods"}

var featureNouns = []string{
	"export", "search", "invoices", "checkout", "login", "reports", "uploads", "webhooks", "notifications",
	"sign-up", "password reset", "billing page", "mobile sync", "team invites", "audit trail", "API keys",
	"single sign-on", "file previews", "scheduled reports", "bulk import", "dark mode", "saved filters",
}

// Prompts are what a team's template asks under each heading. A section
// left holding only its prompt is how most unfinished postmortems look.
var prompts = [][2]string{
	{"summary", "Two or three sentences: what broke, for whom, and for how long."},
	{"summary", "Give a reader who was not there the short version."},
	{"summary", "What happened, in plain words?"},
	{"impact", "Who noticed, for how long, and how badly? Put numbers here if you have them."},
	{"impact", "Describe what customers and colleagues could not do while this lasted."},
	{"impact", "Which products, regions and customers were affected?"},
	{"timeline", "Write down what happened and when, in the order it happened. Use one time zone."},
	{"timeline", "Key moments from the first symptom to the all-clear."},
	{"timeline", "Paste the events from the incident channel and tidy them up."},
	{"detection", "How did we find out? Could we have found out sooner?"},
	{"detection", "Which alert, dashboard or person told us first?"},
	{"detection", "Note the gap between the start of the problem and the first page."},
	{"root-cause", "Keep asking why until you reach something we can change."},
	{"root-cause", "What conditions had to be true for this to happen?"},
	{"root-cause", "Describe the causes without naming or blaming people."},
	{"resolution", "What stopped the bleeding, and what fixed it for good?"},
	{"resolution", "List the steps that brought the service back, with commands where useful."},
	{"resolution", "How was service restored? What would have made it faster?"},
	{"lessons-learned", "What went well, what went poorly, and where did we get lucky?"},
	{"lessons-learned", "What would you tell the next person on call?"},
	{"lessons-learned", "Write down what surprised you."},
	{"action-items", "Each item needs an owner and a date. Link the change that closes it."},
	{"action-items", "What will we change so this cannot happen the same way again?"},
	{"action-items", "List follow-ups, smallest and most urgent first."},
}

// placeholders are what people leave when they mean to come back.
var placeholders = []string{"TODO", "TBD", "TODO.", "TBD.", "TODO: fill in", "To be written.", "N/A", "WIP"}
