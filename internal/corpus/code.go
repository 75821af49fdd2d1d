package corpus

import (
	"slices"
	"strings"
)

// snippets are the code and output people paste into postmortems: queries
// they ran, configuration they changed, commands from the runbook. Braces
// that are not {slots} are kept as they are.
var snippets = []struct {
	lang  string
	text  string
	about []string // the causes it belongs to; nil for any
}{
	{"sql", `SELECT usename, application_name, state, count(*)
FROM pg_stat_activity
GROUP BY 1, 2, 3
ORDER BY 4 DESC
LIMIT {nn};`, []string{"connection-exhaustion", "capacity"}},
	{"sql", `ALTER ROLE {sysid}_app CONNECTION LIMIT {nnn};
ALTER SYSTEM SET idle_in_transaction_session_timeout = '{nn}s';
SELECT pg_reload_conf();`, []string{"connection-exhaustion"}},
	{"sql", `SELECT slot_name, active,
       pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) AS retained
FROM pg_replication_slots
ORDER BY retained DESC;`, []string{"disk-full", "replication-lag", "backup-failure"}},
	{"sql", `SELECT pid, now() - query_start AS waiting, left(query, {nn})
FROM pg_stat_activity
WHERE wait_event_type = 'Lock'
ORDER BY waiting DESC;`, []string{"schema-migration", "deadlock"}},
	{"sql", `-- run in batches of {big} rows, off-peak
UPDATE orders SET legacy_status = NULL
WHERE id BETWEEN $1 AND $2;`, []string{"schema-migration", "deadlock"}},
	{"sql", `SELECT pg_terminate_backend(pid)
FROM pg_stat_activity
WHERE state = 'idle in transaction'
  AND now() - state_change > interval '{nn} minutes';`, []string{"connection-exhaustion", "deadlock"}},
	{"yaml", `resources:
  requests:
    cpu: {n}00m
    memory: {nnn}Mi
  limits:
    memory: {n}Gi`, []string{"memory-leak", "capacity", "quota-exceeded"}},
	{"yaml", `- alert: {Sys2}HighErrorRate
  expr: sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.0{n}
  for: {n}m
  labels:
    severity: page
  annotations:
    summary: "{sysid} error rate above threshold"`, nil},
	{"yaml", `apiVersion: batch/v1
kind: CronJob
metadata:
  name: {sysid}-nightly
spec:
  schedule: "{nn} 2 * * *"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: {nnn}`, []string{"cron-overlap", "backup-failure"}},
	{"yaml", `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {sysid}
spec:
  minReplicas: {n}
  maxReplicas: {nn}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {nn}`, []string{"capacity", "retry-storm"}},
	{"yaml", `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: {sysid}-tls
spec:
  secretName: {sysid}-tls
  renewBefore: 720h
  dnsNames:
    - {sysid}.example.com`, []string{"certificate-expiry"}},
	{"yaml", `upstreams:
  - name: {sysid}
    timeout: {n}s
    retries: 1
    retry_on: [connect-failure, refused-stream]
    health_check:
      path: /healthz
      interval: {nn}s`, []string{"config-change", "dependency-failure", "retry-storm", "rate-limiting"}},
	{"shell", `$ df -h /var/lib/{sysid}
Filesystem      Size  Used Avail Use% Mounted on
/dev/nvme1n1    {nnn}G  {nnn}G     0 100% /var/lib/{sysid}`, []string{"disk-full", "log-volume"}},
	{"shell", `kubectl -n {sysid} get pods -o wide | grep -v Running
kubectl -n {sysid} rollout undo deployment/{sysid}
kubectl -n {sysid} rollout status deployment/{sysid} --timeout={nnn}s`, nil},
	{"shell", `openssl s_client -connect {sysid}.example.com:443 -servername {sysid}.example.com </dev/null 2>/dev/null \
  | openssl x509 -noout -dates
notAfter=Mar {n} 23:59:59 {year} GMT`, []string{"certificate-expiry"}},
	{"shell", `dig +short {sysid}.internal @10.0.0.10
dig +trace {sysid}.example.com | tail -n {n}`, []string{"dns-misconfiguration", "network-partition"}},
	{"shell", `journalctl -u {sysid} --since "{nn} min ago" | grep -c ERROR
sudo systemctl restart {sysid}`, nil},
	{"shell", `psql -h {host} -U postgres -c "SHOW max_connections;"
psql -h {host} -U postgres -c "SELECT count(*) FROM pg_stat_activity;"`, []string{"connection-exhaustion", "replication-lag"}},
	{"shell", `vault token lookup -format=json | jq .data.expire_time
vault write -f auth/approle/role/{sysid}/secret-id`, []string{"expired-credentials", "leaked-secret"}},
	{"shell", `kafka-consumer-groups --bootstrap-server {host}:9092 \
  --describe --group {sysid}-workers`, []string{"queue-backlog", "log-volume"}},
	{"go", `ctx, cancel := context.WithTimeout(ctx, {n}*time.Second)
defer cancel()
resp, err := client.Do(req.WithContext(ctx))
if err != nil {
	return fmt.Errorf("call {sysid}: %w", err)
}
defer resp.Body.Close()`, []string{"dependency-failure", "retry-storm", "upstream-api-change"}},
	{"go", `backoff := {nn} * time.Millisecond
for attempt := 0; attempt < {n}; attempt++ {
	if err = call(ctx); err == nil {
		break
	}
	time.Sleep(backoff + time.Duration(rand.Int64N(int64(backoff))))
	backoff *= 2
}`, []string{"retry-storm", "rate-limiting"}},
	{"go", `// Bound the cache so a burst of distinct keys cannot grow it forever.
cache, err := lru.New[string, []byte]({big})
if err != nil {
	return err
}`, []string{"memory-leak", "cache-stampede"}},
	{"go", `rows, err := db.QueryContext(ctx, query, id)
if err != nil {
	return err
}
defer rows.Close() // this line was missing: one leaked connection per call`, []string{"connection-exhaustion"}},
	{"json", `{"level":"error","service":"{sysid}","host":"{host}","msg":"{log}","attempt":{n}}`, nil},
	{"json", `{
  "error": {
    "code": {code},
    "message": "{log}",
    "request_id": "{nnn}-{nn}{n}-{nnn}"
  }
}`, nil},
	{"json", `{
  "Effect": "Allow",
  "Action": ["s3:GetObject", "s3:PutObject"],
  "Resource": "arn:aws:s3:::{sysid}-{region}/*"
}`, []string{"permissions", "leaked-secret", "expired-credentials"}},
}

// snippet returns a code block in one of the languages the incident's
// cause suggests, or any language when there is none.
func (w *writer) snippet(langs []string) block {
	r := w.r
	lang := "text"
	if len(langs) > 0 {
		lang = pick(r, langs)
	}
	// A snippet about this incident's cause if there is one, else one
	// that fits any incident.
	var own, general []int
	for i, s := range snippets {
		switch {
		case s.lang != lang:
		case slices.Contains(s.about, w.cause.id):
			own = append(own, i)
		case s.about == nil:
			general = append(general, i)
		}
	}
	cands := general
	if len(own) > 0 && (len(general) == 0 || r.chance(0.75)) {
		cands = own
	}
	if len(cands) == 0 {
		return block{kind: bCode, lang: "text", text: w.logLines(r.between(2, 5))}
	}
	s := snippets[pick(r, cands)]
	text := strings.ReplaceAll(s.text, "{log}", strings.ReplaceAll(w.fill(pick(r, w.cause.logs)), `"`, `\"`))
	return block{kind: bCode, lang: s.lang, text: w.fill(text)}
}

// logLines is a few timestamped log lines around the incident's error.
func (w *writer) logLines(n int) string {
	r := w.r
	lines := make([]string, n)
	for i := range lines {
		lvl := pick(r, []string{"ERROR", "ERROR", "WARN", "FATAL"})
		lines[i] = w.inc.local.Format("2006-01-02") + "T" + w.nextTime(r.between(0, 2)) + ":" + twoDigits(r.between(0, 59)) +
			"Z " + lvl + " " + w.sys[0].id + "[" + w.fill("{nnn}{n}") + "]: " + w.fill(pick(r, w.cause.logs))
	}
	return strings.Join(lines, "\n")
}
