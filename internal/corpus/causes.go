package corpus

// cause is one way things break, with the words postmortems about it use.
// Strings are templates: {sys} is the main system, {sys2} another one, and
// the other slots are listed in fill (text.go). Each cause's own words
// ("too many clients", "certificate has expired", "no space left") show up
// in the titles and bodies of the incidents it drives, so a search for them
// finds the right postmortems.
type cause struct {
	id       string
	label    string   // for prose: "connection exhaustion"
	affinity []string // systems this usually happens to
	titles   []string
	symptoms []string
	// mechanisms explain why; the root cause section is built from them.
	mechanisms []string
	fixes      []string
	events     []string // timeline entries
	actions    []string
	logs       []string // error lines quoted in bodies and code blocks
	code       []string // snippet kinds that fit: sql, yaml, shell, go, json
}

// causes are ordered by frequency, like systems.
var causes = []cause{
	{
		id: "config-change", label: "a configuration change",
		affinity: []string{"api-gateway", "nginx", "kubernetes", "load-balancer", "istio", "haproxy", "juniper-flags"},
		titles: []string{
			"Bad configuration push took down {sys}",
			"{Sys} rejected traffic after a config change",
			"Config rollout to {sys} broke routing",
			"Typo in {sys} config caused {code} errors",
		},
		symptoms: []string{
			"Right after the config push, {sys} started answering {pct} of requests with {code}.",
			"Requests to {sys2} began failing as soon as the new {sys} configuration reached the first {n} instances.",
			"Health checks on {sys} flipped to failing within {mins} minutes of the change being applied.",
		},
		mechanisms: []string{
			"A configuration change to {sys} was reviewed as a diff of {nn} lines, and nobody noticed that one of them removed the default upstream.",
			"The config validator only checked syntax, so a value that parsed fine but pointed at a decommissioned {noun} went straight to production.",
			"The change was applied to every region at once instead of going through the usual canary, so there was no small blast radius to learn from.",
			"Two changes to the same {sys} config file were merged within minutes of each other, and the second silently undid part of the first.",
		},
		fixes: []string{
			"We reverted the configuration change and pushed the previous version to all {sys} instances.",
			"The on-call engineer rolled back the config with the deploy tool and confirmed the {code} rate dropped to zero.",
		},
		events: []string{
			"config change merged and rolled out to {sys}",
			"{code} rate on {sys} jumps to {pct}",
			"config change identified as the trigger",
			"previous configuration restored",
		},
		actions: []string{
			"Run the {sys} config through a semantic validator in CI, not only a syntax check",
			"Roll out {sys} configuration through a canary region first",
			"Add a diff summary of changed upstreams to every config review",
		},
		logs: []string{
			"upstream \"{svc}\" not found in configuration",
			"no healthy upstream for route /v{n}/orders",
		},
		code: []string{"yaml", "shell"},
	},
	{
		id: "software-bug", label: "a bug in a new release",
		affinity: []string{"orders", "checkout", "payments", "auth-service", "search", "foxglove-api", "ledgerd"},
		titles: []string{
			"Release {ver} of {sys} returned errors for {customers}",
			"Regression in {sys} after deploy",
			"{Sys} crash loop after release {ver}",
			"Null pointer in {sys} broke {sys2} requests",
		},
		symptoms: []string{
			"After release {ver} went out, {sys} began to panic on roughly one request in {nn}.",
			"Error rates for {customers} rose to {pct} while everyone else saw nothing unusual.",
			"The new {sys} pods passed their readiness checks and then crashed under real traffic.",
		},
		mechanisms: []string{
			"The release contained a change that assumed a field was always present; for {customers} it was not.",
			"Our tests covered the new code path with fixtures that never had an empty list, and production data did.",
			"A refactor moved error handling out of a loop, so one bad record aborted the whole batch.",
			"The bug had been latent for {n} weeks behind a feature flag that was turned on during the deploy.",
		},
		fixes: []string{
			"We rolled {sys} back to the previous release and the errors stopped within minutes.",
			"A hotfix guarding against the missing field was written, reviewed and deployed in {mins} minutes.",
		},
		events: []string{
			"release {ver} of {sys} starts rolling out",
			"error rate on {sys} climbs past {pct}",
			"rollback of {sys} started",
			"rollback complete, errors back to baseline",
		},
		actions: []string{
			"Add a regression test with the record shape that triggered the crash",
			"Make {sys} deploys pause automatically when the error rate doubles",
			"Review other call sites that assume the field is present",
		},
		logs: []string{
			"panic: runtime error: invalid memory address or nil pointer dereference",
			"TypeError: Cannot read properties of undefined (reading 'id')",
		},
		code: []string{"go", "json"},
	},
	{
		id: "capacity", label: "running out of capacity",
		affinity: []string{"kubernetes", "elasticsearch", "kafka", "cassandra", "api-gateway", "marlin-ingest"},
		titles: []string{
			"{Sys} ran out of capacity during peak traffic",
			"Traffic spike saturated {sys}",
			"{Sys} overloaded by end-of-month batch jobs",
			"CPU saturation on {sys} slowed {sys2}",
		},
		symptoms: []string{
			"CPU on the {sys} nodes sat at {pct} and p99 latency climbed from {nn} ms to over {n} seconds.",
			"Traffic was {n} times the usual {weekday} peak, and {sys} could not keep up.",
			"The autoscaler hit its maximum of {nn} nodes and stayed there while the queue kept growing.",
		},
		mechanisms: []string{
			"Our capacity plan for {sys} assumed last year's growth rate and was {n} months out of date.",
			"The autoscaler's maximum was set low during a cost review and never raised again.",
			"A marketing campaign went out without anyone telling the teams that run {sys}.",
			"Load tests ran against a staging cluster with a tenth of production's data, so they never showed the knee in the latency curve.",
		},
		fixes: []string{
			"We raised the node pool limit and added {nn} nodes to {sys} by hand.",
			"Shedding the lowest-priority traffic at {sys2} bought enough headroom to recover.",
		},
		events: []string{
			"traffic to {sys} starts climbing",
			"autoscaler reaches its node limit",
			"{nn} extra nodes added to {sys}",
			"latency back under the SLO",
		},
		actions: []string{
			"Revisit the {sys} capacity plan every quarter",
			"Alert when the autoscaler is within {nn}% of its maximum",
			"Give marketing a calendar the on-call can read",
		},
		logs: []string{
			"0/{nn} nodes are available: {nn} Insufficient cpu",
			"request queue full, dropping request",
		},
		code: []string{"yaml", "shell"},
	},
	{
		id: "connection-exhaustion", label: "connection exhaustion",
		affinity: []string{"postgres", "pgbouncer", "mysql", "redis", "rabbitmq"},
		titles: []string{
			"{Sys} connections exhausted",
			"{Sys} ran out of connections",
			"Connection pool exhaustion on {sys}",
			"Too many clients: {sys} refused new connections",
		},
		symptoms: []string{
			"{Sys} hit its connection limit of {limit} and refused every new client with \"too many clients already\".",
			"Every service that talks to {sys} started timing out while waiting for a connection from the pool.",
			"The connection count on {sys} climbed in a straight line from {nnn} to the maximum in {mins} minutes.",
		},
		mechanisms: []string{
			"A code path in {sys2} opened a connection per request and did not return it to the pool when the request failed, so postgres connections were exhausted under load.",
			"The pool size of each {sys2} pod was multiplied by the number of pods after a scale-up, and the total went past max_connections.",
			"Idle transactions held their connections for minutes because the client library had no idle timeout.",
			"Connections bypassed PgBouncer because a service read an old environment variable pointing straight at the database.",
		},
		fixes: []string{
			"We restarted the leaking {sys2} pods, which released their connections, and {sys} accepted clients again.",
			"We lowered the per-pod pool size and set an idle-in-transaction timeout on {sys}.",
			"Killing the idle backends with pg_terminate_backend freed enough connections to recover.",
		},
		events: []string{
			"connection count on {sys} passes {pct} of the limit",
			"first \"too many clients\" errors in the logs",
			"leaking pods in {sys2} restarted",
			"connection count back to {nnn}",
		},
		actions: []string{
			"Alert when {sys} connections exceed 80% of max_connections",
			"Route every service through PgBouncer and remove direct database hosts from configs",
			"Set idle_in_transaction_session_timeout on all production databases",
		},
		logs: []string{
			"FATAL: sorry, too many clients already",
			"FATAL: remaining connection slots are reserved for non-replication superuser connections",
			"timeout: could not acquire connection from pool after {nn}s",
		},
		code: []string{"sql", "yaml"},
	},
	{
		id: "certificate-expiry", label: "an expired certificate",
		affinity: []string{"cdn", "api-gateway", "load-balancer", "cert-manager", "nginx", "istio", "ldap"},
		titles: []string{
			"TLS certificate expired on {sys}",
			"Expired certificate broke {sys}",
			"{Sys} certificate expired over the weekend",
			"Certificate expiry took down {sys2} clients",
		},
		symptoms: []string{
			"Clients connecting to {sys} failed the TLS handshake with \"certificate has expired\".",
			"Browsers showed a full-page warning because the certificate expired at {time} UTC.",
			"Mobile apps pinned to the old chain refused to talk to {sys} at all once the certificate expired.",
		},
		mechanisms: []string{
			"The certificate for {sys} was issued by hand {n} years ago and was not tracked by cert-manager, so nothing renewed it.",
			"Renewal emails went to the mailbox of someone who had left the company.",
			"Automatic renewal had been failing for {nn} days because the DNS challenge could not write to the zone, and the failures only went to a log nobody read.",
			"The renewed certificate was in the secret store, but {sys} only reads certificates at start-up and had not restarted.",
		},
		fixes: []string{
			"We issued a new certificate, deployed it to {sys} and reloaded the listeners.",
			"Restarting {sys} picked up the renewed certificate that had been sitting in the secret store.",
		},
		events: []string{
			"certificate on {sys} expires",
			"first reports of TLS errors from {customers}",
			"new certificate issued",
			"certificate deployed and {sys} reloaded",
		},
		actions: []string{
			"Alert {nn} days before any certificate expires, not on the day",
			"Move the {sys} certificate under cert-manager",
			"Make {sys} reload certificates without a restart",
		},
		logs: []string{
			"x509: certificate has expired or is not yet valid",
			"SSL_ERROR_BAD_CERT_DOMAIN",
			"tls: failed to verify certificate: x509: certificate has expired",
		},
		code: []string{"shell", "yaml"},
	},
	{
		id: "disk-full", label: "a full disk",
		affinity: []string{"postgres", "elasticsearch", "kafka", "ci-runners", "prometheus", "clickhouse", "basalt-storage"},
		titles: []string{
			"Disk full on {sys}",
			"{Sys} stopped writing: no space left on device",
			"{Sys} volume filled up",
			"Root filesystem full on {host}",
		},
		symptoms: []string{
			"Writes to {sys} failed with \"no space left on device\" once the data volume reached 100%.",
			"The disk on {host} went from {pct} to full in under {n} hours.",
			"{Sys} switched itself to read-only when the disk was full, and every write path behind it failed.",
		},
		mechanisms: []string{
			"Log rotation on {host} had been broken since an image update, and the disk filled up with {nn} GB of logs.",
			"A replication slot left behind by a decommissioned consumer kept the write-ahead log from being recycled, so the disk filled up.",
			"Our disk usage alert fired at 95%, which at the rate the volume was growing left {mins} minutes to react.",
			"Temporary files from a failed batch job were never cleaned up, and each retry added more.",
		},
		fixes: []string{
			"We freed space by deleting old logs, then grew the volume by {nnn} GB.",
			"Dropping the stale replication slot let {sys} recycle its write-ahead log, and the disk went back to {pct}.",
		},
		events: []string{
			"disk on {host} reaches 90%",
			"first \"no space left on device\" errors",
			"old files removed and the volume grown",
			"writes succeed again",
		},
		actions: []string{
			"Alert on the rate of disk growth, not only the level",
			"Fix log rotation in the base image and add a test for it",
			"Monitor replication slots that are not advancing",
		},
		logs: []string{
			"ENOSPC: no space left on device, write",
			"could not write to file \"pg_wal/xlogtemp.{nnn}\": No space left on device",
			"flood stage disk watermark [95%] exceeded",
		},
		code: []string{"shell", "sql"},
	},
	{
		id: "dependency-failure", label: "a failing dependency",
		affinity: []string{"payments", "email-relay", "notifications", "heron-webhooks", "sso", "checkout"},
		titles: []string{
			"Third-party outage degraded {sys}",
			"{Sys} failed when an upstream provider went down",
			"Slow upstream made {sys} time out",
		},
		symptoms: []string{
			"Calls from {sys} to its upstream provider took {nn} seconds each and then failed.",
			"Threads in {sys} piled up waiting on a dependency that had stopped answering.",
			"{Sys} started returning {code} because it had no fallback when the provider was down.",
		},
		mechanisms: []string{
			"{Sys} had a timeout of {nn} seconds on calls to the provider, longer than the timeout of its own callers.",
			"There was no circuit breaker, so a slow dependency tied up every worker in {sys}.",
			"We depended on a single provider in a single region, and that region had a bad day.",
		},
		fixes: []string{
			"We switched {sys} to the secondary provider by flipping a feature flag.",
			"Lowering the client timeout and enabling the cached fallback let {sys} serve degraded responses.",
		},
		events: []string{
			"upstream provider starts timing out",
			"worker pool in {sys} saturated",
			"traffic moved to the secondary provider",
			"provider reports recovery",
		},
		actions: []string{
			"Put a circuit breaker around calls to the provider",
			"Set client timeouts below the caller's timeout everywhere in {sys}",
			"Test the failover to the secondary provider every month",
		},
		logs: []string{
			"context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
			"upstream connect error or disconnect/reset before headers",
		},
		code: []string{"go", "yaml"},
	},
	{
		id: "memory-leak", label: "a memory leak",
		affinity: []string{"search", "inkwell-renderer", "otter-media", "elasticsearch", "api-gateway", "redis"},
		titles: []string{
			"Memory leak in {sys} caused repeated OOM kills",
			"{Sys} OOM-killed every few hours",
			"Slow memory leak in {sys}",
		},
		symptoms: []string{
			"{Sys} pods were OOM-killed every {n} hours, each time dropping the requests they were serving.",
			"Resident memory of {sys} grew by about {nnn} MB an hour until the kernel stepped in.",
			"Garbage collection pauses in {sys} grew longer and longer before each crash.",
		},
		mechanisms: []string{
			"A cache inside {sys} had no size limit and kept every key it had ever seen.",
			"Goroutines waiting on a channel that nobody closed were never collected.",
			"The memory limit of the pods was lowered in a cost review without checking the working set.",
		},
		fixes: []string{
			"We raised the memory limit as a stopgap and scheduled rolling restarts of {sys} every {n} hours.",
			"A patch bounding the cache was deployed and memory stayed flat afterwards.",
		},
		events: []string{
			"first OOM kill of a {sys} pod",
			"restarts of {sys} every {n} hours",
			"heap profile taken",
			"patched build of {sys} deployed",
		},
		actions: []string{
			"Add a memory growth alert for {sys}",
			"Take heap profiles automatically before an OOM kill",
			"Bound every in-process cache by size",
		},
		logs: []string{
			"OOMKilled: container {sysid} exceeded memory limit",
			"fatal error: runtime: out of memory",
		},
		code: []string{"go", "shell"},
	},
	{
		id: "network-partition", label: "a network partition",
		affinity: []string{"kubernetes", "etcd", "consul", "kafka", "load-balancer", "cassandra"},
		titles: []string{
			"Network partition between {region} zones",
			"Packet loss split {sys} in two",
			"{Sys} lost quorum during a network partition",
		},
		symptoms: []string{
			"Nodes in one availability zone could not reach {sys} in the others, and packet loss between them reached {pct}.",
			"{Sys} lost quorum and stopped accepting writes while the network was split.",
			"Cross-zone latency jumped from under a millisecond to {nnn} ms, then traffic stopped altogether.",
		},
		mechanisms: []string{
			"A faulty switch in the provider's network dropped traffic between two zones of {region}.",
			"Our {sys} cluster had three members in two zones, so losing one zone meant losing quorum.",
			"Retries across the partition doubled the load on the surviving side.",
		},
		fixes: []string{
			"We drained the isolated zone and let {sys} run in the remaining ones until the provider fixed the link.",
			"Once the network recovered, {sys} rejoined on its own; we verified the data with a consistency check.",
		},
		events: []string{
			"packet loss between zones begins",
			"{sys} loses quorum",
			"traffic drained from the isolated zone",
			"provider confirms the link is repaired",
		},
		actions: []string{
			"Spread {sys} members across three zones",
			"Add cross-zone packet loss to the network dashboard",
			"Practise draining a zone on a game day",
		},
		logs: []string{
			"dial tcp 10.{n}.{nn}.{nn}:2379: i/o timeout",
			"raft: failed to contact quorum of nodes, stepping down",
		},
		code: []string{"shell", "yaml"},
	},
	{
		id: "dns-misconfiguration", label: "a DNS misconfiguration",
		affinity: []string{"dns", "cdn", "kubernetes", "load-balancer", "email-relay"},
		titles: []string{
			"DNS change made {sys} unreachable",
			"Wrong DNS record sent traffic to a retired {sys}",
			"Intermittent DNS timeouts inside the cluster",
		},
		symptoms: []string{
			"Lookups for the {sys} hostname returned NXDOMAIN for clients whose resolvers had dropped the old record.",
			"Half the lookups took five seconds because every query first walked the search domains.",
			"Traffic kept going to a load balancer that had been deleted, because the record still pointed at it.",
		},
		mechanisms: []string{
			"A record was deleted and recreated instead of updated, and the TTL of {nnn} seconds meant resolvers cached the gap.",
			"The zone was managed in two places, and the manual edit was overwritten by the next automated sync.",
			"With ndots set to five, each external lookup became up to five queries, and the cluster DNS ran out of CPU.",
		},
		fixes: []string{
			"We restored the record and lowered its TTL while caches expired.",
			"Scaling the cluster DNS and adding a trailing dot to external hostnames stopped the timeouts.",
		},
		events: []string{
			"DNS record for {sys} changed",
			"first NXDOMAIN reports",
			"record restored",
			"resolver caches expire, traffic recovers",
		},
		actions: []string{
			"Manage the zone in one place only",
			"Lower TTLs before planned DNS changes",
			"Alert on DNS lookup latency from inside the cluster",
		},
		logs: []string{
			"dial tcp: lookup {sysid}.internal on 10.0.0.10:53: no such host",
			";; connection timed out; no servers could be reached",
		},
		code: []string{"shell", "yaml"},
	},
	{
		id: "expired-credentials", label: "expired credentials",
		affinity: []string{"vault", "s3", "ci-runners", "terraform", "kestrel-auth", "sso"},
		titles: []string{
			"Expired credentials broke {sys}",
			"{Sys} token expired and nobody rotated it",
			"Service account key for {sys} expired",
		},
		symptoms: []string{
			"Every request from {sys2} to {sys} failed with \"403 Forbidden\" once the token expired.",
			"Deploys failed at the upload step because the credentials they used had expired overnight.",
			"{Sys} logged \"invalid or expired token\" for every call it made.",
		},
		mechanisms: []string{
			"The token had a one-year lifetime and was created by hand; nothing tracked when it would expire.",
			"Rotation was automated for every secret except this one, which lived in a different path in Vault.",
			"The renewal job ran under an account that had itself lost the permission to renew.",
		},
		fixes: []string{
			"We minted a new token, stored it in Vault and restarted {sys2} to pick it up.",
			"The on-call rotated the key by hand and deploys resumed.",
		},
		events: []string{
			"token used by {sys2} expires",
			"first 403 responses from {sys}",
			"new credentials issued",
			"{sys2} restarted with the new token",
		},
		actions: []string{
			"Inventory every long-lived token and its expiry date",
			"Alert {nn} days before a credential expires",
			"Replace the static token with short-lived credentials issued by Vault",
		},
		logs: []string{
			"AccessDenied: The security token included in the request is expired",
			"permission denied: invalid or expired token",
		},
		code: []string{"shell", "json"},
	},
	{
		id: "rate-limiting", label: "rate limiting",
		affinity: []string{"api-gateway", "quill-router", "heron-webhooks", "foxglove-api", "payments"},
		titles: []string{
			"Rate limiter on {sys} blocked legitimate traffic",
			"{Sys} throttled {customers}",
			"Upstream rate limit hit by {sys}",
		},
		symptoms: []string{
			"{Customers} received {code} Too Many Requests even though their traffic was normal.",
			"{Sys} hit the provider's rate limit and started dropping {pct} of its calls.",
			"Requests behind a shared NAT address were all counted as one client and throttled together.",
		},
		mechanisms: []string{
			"The limit was keyed on the client IP, and {nn} large customers send everything through a handful of addresses.",
			"A deploy reset the limiter's counters to a default of {nn} requests a second, far below what we had configured.",
			"A batch job in {sys2} shared an API key with the interactive product and used up its quota.",
		},
		fixes: []string{
			"We raised the limit for the affected keys and moved the batch job to its own key.",
			"Switching the limiter to key on the API token instead of the IP stopped the false positives.",
		},
		events: []string{
			"429 responses from {sys} rise",
			"support escalates reports from {customers}",
			"limits raised for the affected keys",
			"429 rate back to baseline",
		},
		actions: []string{
			"Key rate limits on the API token, not the IP address",
			"Give batch jobs their own credentials and quotas",
			"Show the limiter's current settings on the {sys} dashboard",
		},
		logs: []string{
			"HTTP 429 Too Many Requests: rate limit exceeded for key {nnn}",
			"limiter: request denied, bucket empty",
		},
		code: []string{"yaml", "json"},
	},
	{
		id: "retry-storm", label: "a retry storm",
		affinity: []string{"api-gateway", "auth-service", "orders", "redis", "kafka", "hermes-push"},
		titles: []string{
			"Retry storm overwhelmed {sys}",
			"Client retries turned a blip in {sys} into an outage",
			"{Sys} pushed over by synchronized retries",
		},
		symptoms: []string{
			"A short hiccup in {sys} turned into {mins} minutes of overload as every client retried at once.",
			"Request volume to {sys} went to {n} times normal while the number of users stayed flat.",
			"The error rate stayed high even after the original problem was gone, because retries kept {sys} saturated.",
		},
		mechanisms: []string{
			"Clients retried immediately, without backoff or jitter, up to {n} times per request.",
			"Retries happened at three layers, so one failed call became {nn} calls to {sys}.",
			"Mobile clients all reconnected at the same moment when {sys} came back.",
		},
		fixes: []string{
			"We shed load at the gateway until the retry wave passed, then let traffic back in slowly.",
			"A config change capped retries at one and added jitter, and {sys} recovered.",
		},
		events: []string{
			"brief error spike on {sys}",
			"request volume reaches {n}x normal",
			"load shedding enabled",
			"traffic back to normal levels",
		},
		actions: []string{
			"Use exponential backoff with jitter in every client",
			"Retry at one layer only",
			"Add a retry budget to the shared HTTP client",
		},
		logs: []string{
			"retrying request (attempt {n}/{n}) after error: connection reset by peer",
			"circuit open: too many failures",
		},
		code: []string{"go", "yaml"},
	},
	{
		id: "schema-migration", label: "a schema migration",
		affinity: []string{"postgres", "mysql", "ledgerd", "orders", "clickhouse"},
		titles: []string{
			"Schema migration locked the {sys} orders table",
			"Long-running migration blocked writes to {sys}",
			"Migration in {sys} dropped a column still in use",
		},
		symptoms: []string{
			"Writes to {sys} queued behind an ALTER TABLE that waited for an exclusive lock.",
			"Every request touching the migrated table hung for {mins} minutes.",
			"Old application pods kept writing to a column the migration had already dropped.",
		},
		mechanisms: []string{
			"The migration added a column with a default, which rewrote a table of {big} rows under an exclusive lock.",
			"No lock timeout was set, so the migration waited behind a long report query and everything else waited behind the migration.",
			"The migration ran before the new code was fully rolled out, against the expand-then-contract rule.",
		},
		fixes: []string{
			"We cancelled the migration with pg_cancel_backend and ran it again in batches at night.",
			"We restored the dropped column from the replica and redeployed the old code paths.",
		},
		events: []string{
			"migration starts on {sys}",
			"lock waits pile up",
			"migration cancelled",
			"writes flowing again",
		},
		actions: []string{
			"Set lock_timeout in every migration",
			"Lint migrations for table rewrites before they are merged",
			"Document the expand-then-contract pattern in the handbook",
		},
		logs: []string{
			"ERROR: canceling statement due to lock timeout",
			"ERROR: column \"legacy_status\" does not exist",
		},
		code: []string{"sql"},
	},
	{
		id: "replication-lag", label: "replication lag",
		affinity: []string{"postgres", "mysql", "mongodb", "kafka", "cassandra"},
		titles: []string{
			"{Sys} replica lag served stale data",
			"Replication lag on {sys} reached {mins} minutes",
			"Read replicas of {sys} fell behind",
		},
		symptoms: []string{
			"Replicas of {sys} fell {mins} minutes behind the primary, and users saw orders disappear and reappear.",
			"Reads routed to the replicas returned data that was minutes old.",
			"The replication lag graph climbed steadily through the morning without alerting anyone.",
		},
		mechanisms: []string{
			"A bulk update on the primary produced write-ahead log faster than the replicas could apply it.",
			"The replicas ran on smaller instances than the primary after a cost-saving change.",
			"A long query on a replica conflicted with replay, and hot_standby_feedback was off.",
		},
		fixes: []string{
			"We sent all reads to the primary until the replicas caught up.",
			"Pausing the bulk job let the replicas catch up within {mins} minutes.",
		},
		events: []string{
			"replication lag on {sys} passes one minute",
			"reports of stale data",
			"reads moved to the primary",
			"replicas caught up",
		},
		actions: []string{
			"Alert on replication lag above {nn} seconds",
			"Throttle bulk jobs when the replicas fall behind",
			"Keep replica instance sizes equal to the primary's",
		},
		logs: []string{
			"replication lag: {nnn} s behind primary",
			"canceling statement due to conflict with recovery",
		},
		code: []string{"sql", "yaml"},
	},
	{
		id: "human-error", label: "a manual mistake",
		affinity: []string{"kubernetes", "terraform", "postgres", "s3", "dns"},
		titles: []string{
			"Manual command deleted the wrong {sys} resources",
			"Maintenance on {sys} ran against production instead of staging",
			"Accidental restart of {sys}",
		},
		symptoms: []string{
			"A command meant for staging ran against production and removed {nn} {sys} resources.",
			"{Sys} restarted in the middle of the day, dropping every open connection.",
			"Part of the {sys} configuration disappeared during routine maintenance.",
		},
		mechanisms: []string{
			"The shell prompt looked the same for production and staging, and the kubeconfig context had been switched earlier.",
			"The runbook step had no confirmation and no dry run.",
			"The change was made by hand because the automation for it had been broken for weeks.",
		},
		fixes: []string{
			"We recreated the deleted resources from the manifests in Git.",
			"Restoring from the last snapshot brought back the lost configuration.",
		},
		events: []string{
			"maintenance command run",
			"{sys} resources missing",
			"resources recreated from Git",
			"service verified healthy",
		},
		actions: []string{
			"Colour the prompt red in production contexts",
			"Add a dry run and a confirmation to the runbook commands",
			"Repair the automation so nobody needs to run this by hand",
		},
		logs: []string{
			"deployment.apps \"{sysid}\" deleted",
			"Destroy complete! Resources: {nn} destroyed.",
		},
		code: []string{"shell"},
	},
	{
		id: "cache-stampede", label: "a cache stampede",
		affinity: []string{"redis", "memcached", "bramble-cache", "cdn", "thimble-sessions"},
		titles: []string{
			"Cache stampede after {sys} flush",
			"{Sys} flush sent every request to the database",
			"Mass cache expiry overloaded {sys2}",
		},
		symptoms: []string{
			"After the {sys} flush, the database behind it took {n} times its usual read load.",
			"Cache hit ratio on {sys} dropped from {pct} to nearly zero in a minute.",
			"Thousands of requests missed the cache at the same moment and all recomputed the same value.",
		},
		mechanisms: []string{
			"Every key was written with the same TTL at deploy time, so they all expired together.",
			"A flush was part of the deploy script and nobody remembered why.",
			"There was no request coalescing, so each miss went to the database on its own.",
		},
		fixes: []string{
			"We warmed {sys} from a snapshot and rate-limited the recomputation.",
			"Adding jitter to the TTLs and a single-flight lock stopped the stampede.",
		},
		events: []string{
			"{sys} flushed during deploy",
			"cache hit ratio collapses",
			"database CPU at {pct}",
			"cache warmed, load normal",
		},
		actions: []string{
			"Add jitter to cache TTLs",
			"Coalesce concurrent misses for the same key",
			"Remove the flush from the deploy script",
		},
		logs: []string{
			"cache miss rate {pct} exceeds threshold",
			"MISCONF Redis is configured to save RDB snapshots",
		},
		code: []string{"go", "shell"},
	},
	{
		id: "clock-skew", label: "clock skew",
		affinity: []string{"kestrel-auth", "auth-service", "cassandra", "vault", "sundial-cron"},
		titles: []string{
			"Clock skew on {host} broke token validation",
			"NTP failure caused {sys} to reject requests",
		},
		symptoms: []string{
			"Tokens issued by {sys} were rejected as \"not yet valid\" by services on {host}.",
			"Scheduled jobs on {sys} ran {n} minutes early, before their inputs were ready.",
		},
		mechanisms: []string{
			"NTP on {host} could not reach its servers after a firewall change, and the clock drifted by {nn} seconds.",
			"The image used for new nodes disabled the time sync daemon by mistake.",
		},
		fixes: []string{
			"We restored NTP access and stepped the clocks back into sync.",
			"Nodes with drifting clocks were cordoned and replaced.",
		},
		events: []string{
			"clock on {host} drifts past {nn} s",
			"token validation failures rise",
			"NTP reachable again",
			"clocks in sync",
		},
		actions: []string{
			"Alert on clock offset above one second",
			"Allow a small clock skew in token validation",
		},
		logs: []string{
			"token used before issued (iat in the future)",
			"chronyd: no selectable sources",
		},
		code: []string{"shell"},
	},
	{
		id: "hardware-failure", label: "a hardware failure",
		affinity: []string{"postgres", "basalt-storage", "cassandra", "kubernetes", "load-balancer"},
		titles: []string{
			"Failed disk on the {sys} primary",
			"Host {host} died and took {sys} with it",
			"Hardware fault on {sys} node",
		},
		symptoms: []string{
			"The {sys} primary on {host} stopped responding, and the replica was promoted after {mins} minutes.",
			"I/O errors on {host} made {sys} slow long before it failed completely.",
		},
		mechanisms: []string{
			"A disk failed in a host that ran both {sys} and its only replica, so there was nothing healthy to fail over to.",
			"The hardware had been reporting correctable errors for weeks, but those alerts went to a mailing list nobody read.",
		},
		fixes: []string{
			"We promoted the replica and moved {sys} to a new host.",
			"The provider replaced the host and we restored from the last backup.",
		},
		events: []string{
			"I/O errors on {host}",
			"{sys} primary unresponsive",
			"replica promoted",
			"new replica built",
		},
		actions: []string{
			"Keep replicas on separate hosts and racks",
			"Route hardware error alerts to the on-call",
		},
		logs: []string{
			"blk_update_request: I/O error, dev sdb, sector {big}",
			"EXT4-fs error (device nvme0n1p1): unable to read itable block",
		},
		code: []string{"shell"},
	},
	{
		id: "cloud-provider-outage", label: "a cloud provider outage",
		affinity: []string{"s3", "blob-store", "load-balancer", "dns", "kubernetes"},
		titles: []string{
			"Provider outage in {region} took down {sys}",
			"{Region} region incident degraded {sys}",
		},
		symptoms: []string{
			"The provider's {region} region had elevated error rates for object storage, and {sys} could not read or write.",
			"New nodes could not be started in {region} while the provider's control plane was down.",
		},
		mechanisms: []string{
			"We ran {sys} in a single region, so a regional outage at the provider was an outage for us.",
			"Our failover to the second region needed the control plane of the first, which was down.",
		},
		fixes: []string{
			"We waited for the provider to recover, then replayed the writes that had failed.",
			"Traffic was moved to the second region by hand using the DNS weights.",
		},
		events: []string{
			"provider errors in {region} begin",
			"provider posts an incident",
			"traffic moved to another region",
			"provider declares recovery",
		},
		actions: []string{
			"Run {sys} in two regions",
			"Make the regional failover independent of the failing region",
		},
		logs: []string{
			"ServiceUnavailable: Please reduce your request rate.",
			"InternalError: We encountered an internal error. Please try again.",
		},
		code: []string{"shell", "json"},
	},
	{
		id: "quota-exceeded", label: "an exceeded quota",
		affinity: []string{"s3", "kubernetes", "vault", "ci-runners", "cobalt-export"},
		titles: []string{
			"Quota exceeded on {sys}",
			"{Sys} hit an account limit nobody knew about",
		},
		symptoms: []string{
			"New {sys} resources could not be created because the account had reached its quota of {nnn}.",
			"Uploads from {sys} failed once the bucket passed its configured quota.",
		},
		mechanisms: []string{
			"The quota was a provider default that had never been raised, and growth crept up to it over {n} months.",
			"Leaked resources from failed CI runs counted against the quota.",
		},
		fixes: []string{
			"The provider raised the quota within the hour after we opened a support case.",
			"We cleaned up leaked resources, which freed enough quota to continue.",
		},
		events: []string{
			"first quota errors from {sys}",
			"quota increase requested",
			"leaked resources removed",
			"quota raised by the provider",
		},
		actions: []string{
			"Track every provider quota with an alert at 80%",
			"Clean up resources left by failed CI runs",
		},
		logs: []string{
			"QuotaExceeded: quota {nnn} reached for resource",
			"exceeded quota: compute-resources, requested: cpu={n}",
		},
		code: []string{"shell", "yaml"},
	},
	{
		id: "deadlock", label: "a deadlock",
		affinity: []string{"postgres", "mysql", "ledgerd", "orders", "wombat-queue"},
		titles: []string{
			"Deadlocks in {sys} stalled payouts",
			"{Sys} workers deadlocked on the same rows",
		},
		symptoms: []string{
			"{Sys} reported {nn} deadlocks a minute, and the affected jobs retried until they gave up.",
			"Workers in {sys} stopped making progress although CPU was idle.",
		},
		mechanisms: []string{
			"Two jobs updated the same rows in opposite orders.",
			"A new index changed the plan, and a batch update started locking rows in a different order.",
		},
		fixes: []string{
			"We made both jobs lock rows in primary key order and redeployed.",
			"Pausing one of the jobs broke the cycle, and the backlog drained.",
		},
		events: []string{
			"deadlock rate rises",
			"jobs start failing after retries",
			"one job paused",
			"fix deployed",
		},
		actions: []string{
			"Lock rows in a consistent order in every batch job",
			"Alert on deadlocks per minute",
		},
		logs: []string{
			"ERROR: deadlock detected",
			"Deadlock found when trying to get lock; try restarting transaction",
		},
		code: []string{"sql", "go"},
	},
	{
		id: "feature-flag", label: "a feature flag flip",
		affinity: []string{"juniper-flags", "checkout", "search", "foxglove-api", "notifications"},
		titles: []string{
			"Feature flag enabled an unfinished {sys} path",
			"Flag flip in {sys} sent duplicate notifications",
		},
		symptoms: []string{
			"Right after a flag was turned on for everyone, {sys} started behaving in ways nobody had tested.",
			"{Customers} received the same notification {n} times.",
		},
		mechanisms: []string{
			"The flag was meant for {pct} of traffic but was set to everyone because the rollout field was misread.",
			"The code behind the flag was merged weeks earlier and had drifted from the rest of {sys}.",
		},
		fixes: []string{
			"We turned the flag off and the behaviour stopped at once.",
			"The flag was rolled back and the duplicates were cleaned up with a script.",
		},
		events: []string{
			"flag enabled for all users",
			"first reports from {customers}",
			"flag turned off",
			"cleanup script finished",
		},
		actions: []string{
			"Require a percentage rollout for every new flag",
			"Remove flags older than {n} months",
		},
		logs: []string{
			"flag \"{sysid}_new_flow\" evaluated true for {pct} of requests",
		},
		code: []string{"json", "yaml"},
	},
	{
		id: "log-volume", label: "runaway logging",
		affinity: []string{"elasticsearch", "lantern-metrics", "prometheus", "kafka", "ci-runners"},
		titles: []string{
			"Log flood filled {sys}",
			"Debug logging left on overwhelmed {sys}",
		},
		symptoms: []string{
			"Log volume went from {nn} GB to {nnn} GB a day, and {sys} fell hours behind.",
			"Ingestion into {sys} stalled, so dashboards and alerts were blind for {mins} minutes.",
		},
		mechanisms: []string{
			"Debug logging was switched on during an earlier investigation and never switched off.",
			"A retry loop logged the full request body on every attempt.",
			"A new label with a user ID in it exploded the cardinality of our metrics.",
		},
		fixes: []string{
			"We turned debug logging off and dropped the noisy stream at the collector.",
			"Removing the high-cardinality label brought {sys} back under its limits.",
		},
		events: []string{
			"log volume spikes",
			"{sys} ingestion lag grows",
			"debug logging disabled",
			"ingestion caught up",
		},
		actions: []string{
			"Expire debug log levels automatically after a day",
			"Reject metric labels with unbounded values",
		},
		logs: []string{
			"dropping {nnn} log lines: buffer full",
			"too many series: limit {big} exceeded",
		},
		code: []string{"yaml", "json"},
	},
	{
		id: "backup-failure", label: "failed backups",
		affinity: []string{"postgres", "mongodb", "s3", "mysql", "basalt-storage"},
		titles: []string{
			"Backups of {sys} had been failing for weeks",
			"Restore of {sys} failed when we needed it",
		},
		symptoms: []string{
			"When we tried to restore {sys}, the newest usable backup was {nn} days old.",
			"The backup job for {sys} exited with success while writing empty archives.",
		},
		mechanisms: []string{
			"The backup job's exit code was ignored, so failures were reported as success.",
			"Nobody had tested a restore since the storage format changed.",
		},
		fixes: []string{
			"We rebuilt the lost data from the replica and event logs.",
			"A fixed backup job ran by hand and the restore was verified on a scratch instance.",
		},
		events: []string{
			"restore of {sys} attempted",
			"backups found to be empty",
			"data rebuilt from the replica",
			"new backup verified",
		},
		actions: []string{
			"Restore a backup of {sys} every week, automatically",
			"Alert when a backup is smaller than the previous one by half",
		},
		logs: []string{
			"pg_dump: error: connection to server failed",
			"archive {sysid}-backup.tar.gz: 0 bytes",
		},
		code: []string{"shell", "sql"},
	},
	{
		id: "permissions", label: "a permissions change",
		affinity: []string{"s3", "blob-store", "vault", "kubernetes", "ldap", "sso"},
		titles: []string{
			"Permission change locked {sys2} out of {sys}",
			"{Sys} returned access denied after a policy update",
		},
		symptoms: []string{
			"{Sys2} got \"access denied\" from {sys} for every object it tried to read.",
			"Engineers could not log in to production tools because {sys} dropped their group.",
		},
		mechanisms: []string{
			"A policy cleanup removed a permission that looked unused but was needed by a nightly job.",
			"The role was renamed, and the bindings that referred to the old name silently stopped matching.",
		},
		fixes: []string{
			"We restored the previous policy from version control.",
			"The missing role binding was added back by hand, then through Terraform.",
		},
		events: []string{
			"policy change applied to {sys}",
			"access denied errors begin",
			"previous policy restored",
			"access confirmed",
		},
		actions: []string{
			"Check access logs for a month before removing a permission",
			"Test policy changes against recorded requests",
		},
		logs: []string{
			"AccessDenied: User is not authorized to perform: s3:GetObject",
			"forbidden: User \"system:serviceaccount:{sysid}\" cannot list resource \"pods\"",
		},
		code: []string{"json", "yaml"},
	},
	{
		id: "queue-backlog", label: "a queue backlog",
		affinity: []string{"kafka", "rabbitmq", "wombat-queue", "marlin-ingest", "notifications", "email-relay"},
		titles: []string{
			"{Sys} consumer lag delayed notifications by hours",
			"Backlog in {sys} delayed {customers}",
		},
		symptoms: []string{
			"Consumer lag on {sys} grew to {big} messages, and events arrived hours late.",
			"Emails and push notifications went out {n} hours after the actions that triggered them.",
		},
		mechanisms: []string{
			"A consumer crashed on one malformed message and restarted at the same offset, over and over.",
			"A rebalance storm kept the consumer group from ever settling down long enough to work.",
			"Producers had been scaled up for a launch, consumers had not.",
		},
		fixes: []string{
			"We skipped the poison message, moved it to a dead-letter queue, and the consumers caught up.",
			"Adding {n} consumers drained the backlog over the next {n} hours.",
		},
		events: []string{
			"consumer lag on {sys} starts growing",
			"poison message found",
			"message moved to the dead-letter queue",
			"lag back to zero",
		},
		actions: []string{
			"Send messages that fail {n} times to a dead-letter queue",
			"Alert on consumer lag in minutes, not messages",
		},
		logs: []string{
			"consumer group {sysid}-workers rebalancing",
			"failed to decode message at offset {big}",
		},
		code: []string{"shell", "json"},
	},
	{
		id: "cron-overlap", label: "overlapping scheduled jobs",
		affinity: []string{"sundial-cron", "atlas-scheduler", "kubernetes", "cobalt-export", "postgres"},
		titles: []string{
			"Overlapping runs of a scheduled job on {sys}",
			"Nightly job on {sys} ran twice after the DST change",
		},
		symptoms: []string{
			"Two copies of the nightly export ran at the same time and fought over the same rows.",
			"The job that should run once a night ran twice when the clocks changed.",
		},
		mechanisms: []string{
			"The job ran longer than its interval, and the scheduler started a new run without waiting.",
			"The schedule was written in local time, and the daylight saving change repeated an hour.",
		},
		fixes: []string{
			"We killed the second run and set the job's concurrency policy to forbid overlaps.",
			"The schedule was moved to UTC.",
		},
		events: []string{
			"second run of the job starts",
			"lock contention on {sys}",
			"duplicate run stopped",
			"concurrency policy changed",
		},
		actions: []string{
			"Forbid concurrent runs of every scheduled job",
			"Write schedules in UTC",
		},
		logs: []string{
			"job {sysid}-export already running, started {mins}m ago",
		},
		code: []string{"yaml", "shell"},
	},
	{
		id: "leaked-secret", label: "a leaked secret",
		affinity: []string{"vault", "ci-runners", "kestrel-auth", "redis", "s3"},
		titles: []string{
			"API key for {sys} exposed in build logs",
			"Secret for {sys} committed to a public repository",
		},
		symptoms: []string{
			"A key with write access to {sys} was printed in build logs visible to {nn} people.",
			"Our scanner found a live credential for {sys} in a public repository.",
		},
		mechanisms: []string{
			"A debugging step printed the whole environment during the build.",
			"The secret was in a config file that was later made public without a review.",
		},
		fixes: []string{
			"We revoked the key, issued a new one, and checked the audit log for misuse.",
			"The credential was rotated within {mins} minutes and the history rewritten.",
		},
		events: []string{
			"secret found",
			"secret revoked",
			"new secret deployed",
			"audit log reviewed, no misuse found",
		},
		actions: []string{
			"Mask secrets in build output",
			"Scan every repository for secrets before it is made public",
		},
		logs: []string{
			"warning: possible secret detected in output",
		},
		code: []string{"shell", "yaml"},
	},
	{
		id: "split-brain", label: "a split brain",
		affinity: []string{"redis", "postgres", "consul", "zookeeper", "etcd", "mongodb"},
		titles: []string{
			"Split brain in {sys} after failover",
			"Two {sys} primaries accepted writes",
		},
		symptoms: []string{
			"After a failover, both the old and the new {sys} primary accepted writes for {mins} minutes.",
			"Some clients saw their changes vanish after {sys} healed.",
		},
		mechanisms: []string{
			"The failover promoted a replica without fencing the old primary, which was still reachable from some clients.",
			"The health check timeout was shorter than a normal garbage collection pause.",
		},
		fixes: []string{
			"We stopped the old primary, reconciled the diverged writes by hand and rebuilt the replica.",
		},
		events: []string{
			"failover triggered",
			"old primary still accepting writes",
			"old primary fenced",
			"writes reconciled",
		},
		actions: []string{
			"Fence the old primary before promoting a replica",
			"Lengthen the failover health check timeout",
		},
		logs: []string{
			"WARNING: both nodes claim primary role",
		},
		code: []string{"shell", "sql"},
	},
	{
		id: "upstream-api-change", label: "an upstream API change",
		affinity: []string{"payments", "heron-webhooks", "sso", "email-relay", "pelican-billing"},
		titles: []string{
			"Provider changed their API and {sys} broke",
			"Unannounced API change broke {sys} integration",
		},
		symptoms: []string{
			"{Sys} could not parse responses from the provider after they renamed a field.",
			"Webhooks from the provider started failing signature checks.",
		},
		mechanisms: []string{
			"The provider changed a response format without a version bump, and our client was strict about unknown fields.",
			"We pinned no API version, so we got the provider's latest behaviour the day they released it.",
		},
		fixes: []string{
			"We pinned the API version in the client configuration.",
			"A patch accepting both field names was deployed to {sys}.",
		},
		events: []string{
			"provider releases a new API version",
			"parse errors in {sys}",
			"API version pinned",
			"errors stop",
		},
		actions: []string{
			"Pin API versions for every provider",
			"Subscribe the team to the provider's changelog",
		},
		logs: []string{
			"json: cannot unmarshal string into Go struct field .amount of type int64",
		},
		code: []string{"json", "go"},
	},
}
