//go:build !(js && wasm)

package search

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	zap "github.com/blevesearch/zapx/v17"
)

// What the native build alone uses of scorch: the offline builder, for
// shards too large for one batch. The browser module never builds an
// index, and importing scorch would put its indexing, persisting and
// merging, and zap's segment writer and merger, which it registers,
// into the module (scorch_js.go stands in for this file there).

// registerPlugin adds the plugin to scorch's process-wide registry,
// which has no other way to accept one.
var registerPlugin = sync.OnceFunc(func() {
	scorch.RegisterSegmentPlugin(&plugin{}, false)
})

// mergedSegment builds the segment of docs, sorted by id, with bleve's
// offline builder: a segment file per batch, merged into one.
func mergedSegment(tmp string, im *mapping.IndexMappingImpl, docs []bleveDoc, batch int) ([]byte, error) {
	work, err := os.MkdirTemp(tmp, "kb-search-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	dir := filepath.Join(work, "store")
	b, err := scorch.NewBuilder(map[string]any{
		"path":                dir,
		"buildPathPrefix":     work,
		"forceSegmentType":    pluginType,
		"forceSegmentVersion": int(zap.Version),
		// One batch per segment written before the merge; every
		// batch is sorted by the plugin and merged in order.
		"batchSize": batch,
	})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		doc, err := mapDoc(im, d)
		if err == nil {
			err = b.Index(doc)
		}
		if err != nil {
			b.Close()
			return nil, err
		}
	}
	if err := b.Close(); err != nil {
		return nil, err
	}
	segs, err := filepath.Glob(filepath.Join(dir, "*.zap"))
	if err != nil {
		return nil, err
	}
	if len(segs) != 1 {
		return nil, fmt.Errorf("builder wrote %d segments, want 1", len(segs))
	}
	return os.ReadFile(segs[0])
}
