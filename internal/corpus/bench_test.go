package corpus

import "testing"

// BenchmarkGenerate measures generation alone, in memory, without the
// disk: the bytes of postmortems produced per second.
func BenchmarkGenerate(b *testing.B) {
	opts := Options{N: 200, Seed: 1}
	var size int64
	for f := range Generate(opts) {
		size += int64(len(f.Data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for f := range Generate(opts) {
			_ = f
		}
	}
}
