package render

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"
)

// refusing is a site folder whose files cannot be read, as an os.Root
// refuses a link that leads out of it.
type refusing struct{ err error }

func (r refusing) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: r.err}
}

// A file of the site's that cannot be read is an error, not a reason to
// serve the default in its place without a word.
func TestOverlayKeepsErrorsOfTop(t *testing.T) {
	base := fstest.MapFS{"partials/footer.html": {Data: []byte("default")}}
	refused := errors.New("path escapes from parent")
	o := Overlay(refusing{refused}, base)
	if _, err := fs.ReadFile(o, "partials/footer.html"); !errors.Is(err, refused) {
		t.Errorf("ReadFile: err = %v, want the top's error", err)
	}
	if _, err := fs.ReadDir(o, "partials"); !errors.Is(err, refused) {
		t.Errorf("ReadDir: err = %v, want the top's error", err)
	}
	// A file the site does not have comes from the defaults.
	o = Overlay(refusing{fs.ErrNotExist}, base)
	if b, err := fs.ReadFile(o, "partials/footer.html"); err != nil || string(b) != "default" {
		t.Errorf("ReadFile = %q, %v; want the default", b, err)
	}
}
