// Package s2 stands in for github.com/blevesearch/geo/s2 in the
// WebAssembly build of kb's search module.
//
// bleve's geo, document, mapping and searcher packages compile against
// s2 for geo points and shapes, and bleve registers their indexing and
// searching at start-up, so the geometry and the JSON decoder geojson
// brings stay in the module (118 KB of it gzip'd, 6%). kb's index has no
// geo fields and kb makes no geo queries, so the browser never calls
// any of it: every function here returns zero values. This is a stand-in written
// for kb that declares just the names bleve v2.6.3 compiles against; it
// shares no code with the geo module.
//
// The native build never sees this module: only the module file that
// internal/search/wasm.sh generates replaces github.com/blevesearch/geo
// with it.
package s2

// Options configure a RegionTermIndexer; they are ignored.
type Options struct{}

func (*Options) SetMaxCells(int)    {}
func (*Options) SetMinLevel(int)    {}
func (*Options) SetMaxLevel(int)    {}
func (*Options) SetLevelMod(int)    {}
func (*Options) SetPointsOnly(bool) {}

// RegionTermIndexer makes the terms a geo point or region is indexed
// and searched with; here it makes none.
type RegionTermIndexer struct{}

func NewRegionTermIndexerWithOptions(Options) *RegionTermIndexer { return &RegionTermIndexer{} }

func (*RegionTermIndexer) GetIndexTermsForPoint(Point, string) []string   { return nil }
func (*RegionTermIndexer) GetQueryTermsForRegion(Region, string) []string { return nil }

// Region is an area that terms can cover.
type Region interface {
	CapBound() Cap
}

// LatLng, Point, Loop, Polygon, Rect and Cap are empty: nothing reads
// their coordinates.
type (
	LatLng  struct{}
	Point   struct{}
	Loop    struct{}
	Polygon struct{}
	Rect    struct{}
	Cap     struct{}
)

func LatLngFromDegrees(lat, lng float64) LatLng               { return LatLng{} }
func PointFromLatLng(LatLng) Point                            { return Point{} }
func LoopFromPoints([]Point) *Loop                            { return &Loop{} }
func PolygonFromOrientedLoops([]*Loop) *Polygon               { return &Polygon{} }
func RectFromDegrees(latLo, lngLo, latHi, lngHi float64) Rect { return Rect{} }
func CapFromCenterAndRadius(lat, lon, dist float64) Cap       { return Cap{} }

func (*Polygon) CapBound() Cap { return Cap{} }
func (Rect) CapBound() Cap     { return Cap{} }
func (Cap) CapBound() Cap      { return Cap{} }

// CellID names a cell of the sphere; its hierarchy is not modelled.
type CellID uint64

func (CellID) Level() int        { return 0 }
func (CellID) Parent(int) CellID { return 0 }
func (CellID) RangeMin() CellID  { return 0 }
func (CellID) RangeMax() CellID  { return 0 }

// GeoBufferPool is the buffer pool bleve hands to shape decoding.
type GeoBufferPool struct{}

func NewGeoBufferPool(maxSize, minSize int) *GeoBufferPool { return &GeoBufferPool{} }
