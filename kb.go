// Package kb holds the default layouts and assets that every kb binary
// carries, so `kb build` works on a site that has neither. A site's own
// layouts/ and assets/ folders override these file by file.
package kb

import (
	"embed"
	"io/fs"
)

//go:embed layouts assets
var files embed.FS

// Layouts returns the default templates.
func Layouts() fs.FS { return sub("layouts") }

// Assets returns the default stylesheets and scripts.
func Assets() fs.FS { return sub("assets") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directory is embedded above; this cannot fail
	}
	return f
}
