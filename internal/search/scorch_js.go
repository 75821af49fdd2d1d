//go:build js && wasm

package search

import (
	"errors"

	"github.com/blevesearch/bleve/v2/mapping"
)

// The browser build does not link scorch (see scorch.go) and builds no
// index: these stand in for the functions that need it.

var errBuildInBrowser = errors.New("search index: building is not available in the browser build")

func registerPlugin() {}

func mergedSegment(string, *mapping.IndexMappingImpl, []bleveDoc, int) ([]byte, error) {
	return nil, errBuildInBrowser
}
