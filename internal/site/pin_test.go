package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kb-postmortems/kb"
)

// What a build keeps of a postmortem once its tree is dropped must not
// pin the whole source in memory: a title or a link that is a slice of
// the source's text keeps all of it alive. Each file here is mostly a
// comment, which nothing keeps; the heap after loading must not hold the
// files' bytes.
func TestLoadKeepsNoSource(t *testing.T) {
	dir := t.TempDir()
	const files, pad = 40, 64 << 10
	filler := strings.Repeat("padding that no stage keeps ", pad/28)
	for i := range files {
		md := fmt.Sprintf("---\nseverity: SEV2\nsystems: [db]\n---\n# Outage %d\n\nThe database was slow; see [the other](2024-01-%02d-x.md).\n\n<!-- %s -->\n\n## Impact\n\nSlow pages.\n\n## Timeline\n\n- 10:00 alert fired\n- 10:30 resolved\n\n## Action items\n\n- [ ] Add an index (#12)\n", i, (i+1)%files+1, filler)
		rst := fmt.Sprintf("Outage %d\n=========\n\n:severity: SEV2\n\n..\n   %s\n\nImpact\n------\n\nSlow pages, see `other <2024-02-%02d-y.rst>`_.\n", i, filler, (i+1)%files+1)
		for name, src := range map[string]string{fmt.Sprintf("2024-01-%02d-x.md", i+1): md, fmt.Sprintf("2024-02-%02d-y.rst", i+1): rst} {
			if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "content", name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	cfg, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Layouts, cfg.Assets = kb.Layouts(), kb.Assets()
	cfg.Workers = 1
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(s.Incidents) != 2*files {
		t.Fatalf("%d incidents, want %d", len(s.Incidents), 2*files)
	}
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d bytes kept per postmortem", kept/int64(2*files))
	if per := kept / int64(2*files); per > pad/2 {
		t.Errorf("%d bytes kept per postmortem of %d bytes, most of it a comment nothing needs: the source is pinned", per, pad)
	}
	runtime.KeepAlive(s)
}
