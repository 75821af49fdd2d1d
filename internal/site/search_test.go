package site

import (
	"testing"
	"testing/fstest"
)

// TestMemFS: the in-memory files an index is opened from behave as a
// file system.
func TestMemFS(t *testing.T) {
	m := memFS{"manifest.json": []byte("{}"), "shard-1.zap.gz": []byte("zap")}
	if err := fstest.TestFS(m, "manifest.json", "shard-1.zap.gz"); err != nil {
		t.Error(err)
	}
}
