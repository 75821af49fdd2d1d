// Package kb holds the default layouts and assets that every kb binary
// carries, so `kb build` works on a site that has neither. A site's own
// layouts/ and assets/ folders override these file by file. It also holds
// init/, the files kb init writes into a new knowledge base, kept as files
// so that they are reviewed as what a team will read.
package kb

import (
	"embed"
	"io/fs"
)

// The all: prefix keeps init/.github, which embed leaves out otherwise.
//
//go:embed layouts assets all:init
var files embed.FS

// Layouts returns the default templates.
func Layouts() fs.FS { return sub("layouts") }

// Assets returns the default stylesheets and scripts.
func Assets() fs.FS { return sub("assets") }

// Init returns the files kb init writes into a new knowledge base, at the
// paths it writes them.
func Init() fs.FS { return sub("init") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directory is embedded above; this cannot fail
	}
	return f
}
