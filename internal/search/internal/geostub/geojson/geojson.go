// Package geojson stands in for github.com/blevesearch/geo/geojson in
// the WebAssembly build of kb's search module (see package s2 beside
// it for why): no shape is ever parsed or matched in the browser, so
// the constructors return nil or ErrUnsupported and every relation is
// false. It is written for kb and declares just the names bleve v2.6.3
// compiles against.
package geojson

import (
	"bytes"
	"errors"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/geo/s2"
)

// ErrUnsupported is returned by every operation that would need a
// shape.
var ErrUnsupported = errors.New("geojson: geo shapes are not available in the browser build")

// GeoShape is a shape as bleve reads it from a document or a query.
type GeoShape struct {
	Type        string
	Coordinates [][][][]float64
	Radius      string
	Center      []float64
}

// shape is an index.GeoJSON that matches nothing.
type shape struct{}

func (shape) Type() string                           { return "" }
func (shape) Intersects(index.GeoJSON) (bool, error) { return false, ErrUnsupported }
func (shape) Contains(index.GeoJSON) (bool, error)   { return false, ErrUnsupported }
func (shape) Value() ([]byte, error)                 { return nil, ErrUnsupported }
func (shape) IndexCells() (inner, cross []uint64)    { return nil, nil }
func (shape) QueryCells() (inner, cross []uint64)    { return nil, nil }
func (shape) BoundingBox() index.GeoJSON             { return nil }

// Envelope, Circle and GeometryCollection are the shape types bleve
// names.
type (
	Envelope struct{ shape }
	Circle   struct{ shape }
	// GeometryCollection holds Shapes; none is ever made.
	GeometryCollection struct {
		shape
		Shapes []index.GeoJSON
	}
)

func (*Envelope) Marshal() ([]byte, error) { return nil, ErrUnsupported }

func NewGeoJsonPoint([]float64) index.GeoJSON                    { return nil }
func NewGeoJsonMultiPoint([][]float64) index.GeoJSON             { return nil }
func NewGeoJsonLinestring([][]float64) index.GeoJSON             { return nil }
func NewGeoJsonMultilinestring([][][]float64) index.GeoJSON      { return nil }
func NewGeoJsonPolygon([][][]float64) index.GeoJSON              { return nil }
func NewGeoJsonMultiPolygon([][][][]float64) index.GeoJSON       { return nil }
func NewGeoCircle(center []float64, radius string) index.GeoJSON { return nil }
func NewGeoEnvelope([][]float64) index.GeoJSON                   { return nil }

func NewGeoJsonShape([][][][]float64, string) (index.GeoJSON, []byte, error) {
	return nil, nil, ErrUnsupported
}

func NewGeometryCollection([]*GeoShape) (index.GeoJSON, []byte, error) {
	return nil, nil, ErrUnsupported
}

func NewGeoCircleShape(center []float64, radius string) (*Circle, []byte, error) {
	return nil, nil, ErrUnsupported
}

func ParseGeoJSONShape([]byte) (index.GeoJSON, error) { return nil, ErrUnsupported }

func ExtractShapesFromBytes([]byte, **bytes.Reader, *s2.GeoBufferPool) (index.GeoJSON, error) {
	return nil, ErrUnsupported
}

func FilterGeoShapesOnRelation(index.GeoJSON, []byte, string, **bytes.Reader, *s2.GeoBufferPool) (bool, error) {
	return false, nil
}

func DeduplicateTerms(terms []string) []string   { return terms }
func StripCoveringTerms(terms []string) []string { return terms }
