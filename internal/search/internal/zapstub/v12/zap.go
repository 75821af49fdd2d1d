// Package zap stands in for github.com/blevesearch/zapx/v12 in the
// WebAssembly build of kb's search module.
//
// scorch registers a segment plugin for every zap version it can read,
// 11 to 17, which puts all seven in the module. The browser reads only
// the segments kb ships, written with v17; this plugin for v12 refuses
// every operation. It is a stand-in written for kb that declares just
// what scorch in bleve v2.6.3 compiles against; it shares no code with
// zapx. Leaving out the six older versions makes the module 9% smaller
// (2.5 MB raw, 0.5 MB gzip'd) to download, decompress and compile.
//
// The native build never sees this module: only the module file that
// internal/search/wasm.sh generates replaces the older zapx versions
// with the stubs beside this one, alike but for the version.
package zap

import (
	"errors"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// ZapPlugin is the segment plugin scorch registers.
type ZapPlugin struct{}

var errUnsupported = errors.New("zap v12 segments: not available in the browser build")

func (*ZapPlugin) Type() string    { return "zap" }
func (*ZapPlugin) Version() uint32 { return 12 }

func (*ZapPlugin) New([]index.Document) (segment.Segment, uint64, error) {
	return nil, 0, errUnsupported
}

func (*ZapPlugin) NewUsing([]index.Document, map[string]interface{}) (segment.Segment, uint64, error) {
	return nil, 0, errUnsupported
}

func (*ZapPlugin) Open(string) (segment.Segment, error) { return nil, errUnsupported }

func (*ZapPlugin) OpenUsing(string, map[string]interface{}) (segment.Segment, error) {
	return nil, errUnsupported
}

func (*ZapPlugin) Merge([]segment.Segment, []*roaring.Bitmap, string, chan struct{},
	segment.StatsReporter) ([][]uint64, uint64, error) {
	return nil, 0, errUnsupported
}

func (*ZapPlugin) MergeUsing([]segment.Segment, []*roaring.Bitmap, string, chan struct{},
	segment.StatsReporter, map[string]interface{}) ([][]uint64, uint64, error) {
	return nil, 0, errUnsupported
}
