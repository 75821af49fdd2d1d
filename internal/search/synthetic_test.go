package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// synthetic returns n fictional incidents of about 4 KB of text each.
// The same n gives the same documents on every run. Words follow a
// Zipf distribution over stop words, a few hundred technical words and
// thousands of made-up words, so the index has a realistic shape: a
// few very common terms, a long tail of rare ones.
func synthetic(n int) []Document {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	g := &textGen{r: r, vocab: syntheticVocab()}
	g.zipf = rand.NewZipf(r, 1.1, 2, uint64(len(g.vocab)-1))
	start := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]Document, n)
	for i := range docs {
		day := start.AddDate(0, 0, i*4018/max(n, 1)) // spread over eleven years
		sys := pick(r, synthSystems, 1+r.IntN(3))
		causes := pick(r, synthCauses, 1+r.IntN(2))
		id := fmt.Sprintf("%s-%s-%05d", day.Format(dateLayout), sys[0], i)
		d := Document{
			ID:       id,
			Title:    g.title(sys[0]),
			Date:     day,
			Severity: fmt.Sprintf("SEV%d", 1+r.IntN(4)),
			Status:   synthStatus[r.IntN(len(synthStatus))],
			Systems:  sys,
			Causes:   causes,
		}
		for _, s := range synthSections {
			text := g.paragraphs(s.bytes, sys)
			d.Sections = append(d.Sections, Section{Key: s.key, Title: s.title, Anchor: s.key, Text: text})
		}
		d.Summary = d.Sections[0].Text
		if len(d.Summary) > 200 {
			d.Summary = d.Summary[:strings.LastIndexByte(d.Summary[:200], ' ')] + "…"
		}
		docs[i] = d
	}
	return docs
}

var synthSections = []struct {
	key, title string
	bytes      int
}{
	{"summary", "Summary", 300},
	{"impact", "Impact", 450},
	{"timeline", "Timeline", 800},
	{"root-cause", "Root cause", 900},
	{"resolution", "Resolution", 600},
	{"action-items", "Action items", 500},
	{"lessons", "Lessons learned", 450},
}

var synthSystems = strings.Fields(`postgres vault kafka redis nginx envoy consul etcd
	kubernetes terraform elasticsearch rabbitmq memcached haproxy cassandra
	mysql s3 dns cdn ldap billing checkout payments search auth gateway
	scheduler ingest reporting mobile-api web-frontend`)

var synthCauses = strings.Fields(`config-change deploy capacity expired-certificate
	dependency-failure hardware network-partition software-bug human-error
	data-corruption third-party dns-misconfiguration disk-full memory-leak`)

var synthStatus = []string{"resolved", "resolved", "resolved", "monitoring", "open"}

func pick(r *rand.Rand, from []string, n int) []string {
	idx := r.Perm(len(from))[:n]
	out := make([]string, n)
	for i, j := range idx {
		out[i] = from[j]
	}
	return out
}

type textGen struct {
	r     *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

func (g *textGen) word() string { return g.vocab[g.zipf.Uint64()] }

func (g *textGen) title(system string) string {
	w := []string{g.word(), system, g.word(), g.word()}
	return strings.ToUpper(w[0][:1]) + w[0][1:] + " " + strings.Join(w[1:], " ")
}

// paragraphs returns about n bytes of sentences mentioning systems now
// and then.
func (g *textGen) paragraphs(n int, systems []string) string {
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		words := 6 + g.r.IntN(16)
		for i := range words {
			w := g.word()
			switch x := g.r.IntN(40); {
			case x == 0:
				w = systems[g.r.IntN(len(systems))]
			case x == 1:
				w = fmt.Sprintf("%d", 100+g.r.IntN(900))
			case x == 2:
				w = fmt.Sprintf("%02d:%02d", g.r.IntN(24), g.r.IntN(60))
			}
			if i == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(w)
			if i > 2 && i < words-2 && g.r.IntN(12) == 0 {
				b.WriteByte(',')
			}
		}
		b.WriteByte('.')
	}
	return b.String()
}

// syntheticVocab lists words from most to least frequent.
func syntheticVocab() []string {
	v := strings.Fields(synthStop)
	v = append(v, strings.Fields(synthTech)...)
	seen := make(map[string]bool, len(v))
	for _, w := range v {
		seen[w] = true
	}
	// Made-up words: every pair and triple of syllables, in a fixed
	// shuffled order.
	syl := strings.Fields(`ka lo mi ne ru sa ti vo be da fi gu ho ja ke
		lu ma no pe qui ra se to vu wa xe yo zu bri cla dre fro gla plo tra`)
	var made []string
	for _, a := range syl {
		for _, b := range syl {
			made = append(made, a+b)
			for _, c := range syl[:12] {
				made = append(made, a+b+c)
			}
		}
	}
	r := rand.New(rand.NewPCG(7, 7))
	r.Shuffle(len(made), func(i, j int) { made[i], made[j] = made[j], made[i] })
	for _, w := range made {
		if !seen[w] {
			seen[w] = true
			v = append(v, w)
		}
	}
	return v
}

const synthStop = `the of and to a in was that is for on it with as at by
	this we from be were not an or had which are but have all our when
	after has been no there then so if into than its they also during
	only out more one up about would could some what these any`

const synthTech = `service request requests error errors latency database
	connection connections timeout timeouts cluster node nodes primary
	replica failover deploy deployment rollback config configuration
	certificate certificates expired traffic load balancer queue queues
	backlog consumer producer disk memory cpu usage alert alerts alerting
	page paged engineer engineers customer customers impact outage
	degraded incident incidents monitoring dashboard metrics logs log
	retry retries pool exhausted limit limits rate throttling cache
	caches invalidation stale write writes read reads lock locks
	deadlock migration schema index table tables query queries slow
	restart restarted process processes crash crashed oom killed
	container pod pods region zone network partition packet loss dns
	resolution resolver record records ttl upstream downstream
	dependency dependencies vendor api endpoint endpoints status code
	health check checks probe probes scaling autoscaler capacity
	storage volume volumes snapshot backup restore replication lag
	leader election quorum consensus split brain token tokens secret
	secrets rotation key keys permission permissions role policy
	firewall rule rules port tls handshake proxy gateway ingress
	egress bandwidth throughput spike spikes burst job jobs cron
	batch pipeline build release feature flag flags toggle canary
	percent users sessions login authentication authorization billing
	invoice invoices payment payments checkout order orders email
	notification notifications webhook webhooks runbook escalation
	oncall postmortem mitigation mitigated detected detection
	investigation root cause fix fixed patch hotfix version upgrade
	downgrade kernel driver firmware hardware host hosts instance
	instances machine machines datacenter rack switch router link
	fiber provider cloud bucket object objects file files filesystem
	inode quota threshold saturation contention garbage collection
	pause heap thread threads goroutine leak leaked regression test
	tests coverage staging production environment manual automation
	script scripts terraform plan apply drift state lockfile`
