package publish

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkPublish writes and swaps in a site of 2,000 files of 8 KB, as a
// site of 1,000 incidents has, fsyncs included.
func BenchmarkPublish(b *testing.B) {
	files := map[string][]byte{}
	page := make([]byte, 8<<10)
	for i := range 2000 {
		files[fmt.Sprintf("incidents/%04d/index.html", i)] = page
	}
	dest := filepath.Join(b.TempDir(), "site")
	b.SetBytes(int64(len(files) * len(page)))
	b.ResetTimer()
	for b.Loop() {
		if err := Publish(dest, files); err != nil {
			b.Fatal(err)
		}
	}
}
