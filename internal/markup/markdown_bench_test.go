package markup

import (
	"strings"
	"testing"
)

// mdPostmortem is the Markdown version of the postmortem BenchmarkRead in
// package rst reads, so the two readers can be compared.
const mdPostmortem = `# Disk full on the metrics host

## Summary

The *metrics* volume filled up at 02:10 UTC; alerts stopped for
**forty minutes**. See the [runbook](https://wiki.example.com/runbooks/disk) and [^1].

## Timeline

- 02:10 disk at 100%
- 02:31 on-call paged by a customer
- 02:50 old shards deleted

  ` + "```shell" + `
  du -sh /var/lib/metrics/*
  ` + "```" + `

## Follow-up tasks

1. Alert on disk usage.
2. Rotate shards daily.

[^1]: Retention was set to 400 days.

`

// BenchmarkRead reads a Markdown document of about a megabyte made of a
// small postmortem repeated.
//
//	go test -run '^$' -bench BenchmarkRead ./internal/markup/ ./internal/markup/rst/
func BenchmarkRead(b *testing.B) {
	src := []byte(strings.Repeat(mdPostmortem, (1<<20)/len(mdPostmortem)))
	r := NewMarkdown(Limits{})
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.Read("bench.md", src); err != nil {
			b.Fatal(err)
		}
	}
}
