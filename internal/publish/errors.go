package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Error is a failure to publish, with what the user can do about it. The
// command line prints Hint on a line of its own.
type Error struct {
	Err  error
	Hint string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// nameError refuses a file name a site cannot have.
func nameError(p, why string) error {
	hint := "rename the file: a published name is valid UTF-8 and has no control characters"
	switch {
	case strings.HasPrefix(why, "not a relative"):
		hint = "give a path relative to the site's root, with / between folders"
	case p == Marker:
		hint = "choose another name: kb writes " + Marker + " itself"
	case strings.HasPrefix(why, "a name kb reserves"):
		hint = "rename the folder " + Marker + " in static/: kb writes a file of that name at the root of the site"
	}
	return &Error{Err: fmt.Errorf("output path %s: %s", Escape(p), why), Hint: hint}
}

// explain gives err, met while publishing to dest, a hint that says what
// to do, when the cause is one a user can act on.
func explain(err error, dest string) error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	parent := filepath.Dir(dest)
	hint := ""
	switch {
	case errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT):
		hint = fmt.Sprintf("the disk (or your quota) holding %s is full: free some space and build again; while it publishes, kb needs room for the new site beside the old one", parent)
	case errors.Is(err, syscall.EROFS):
		hint = fmt.Sprintf("%s is on a read-only file system: build into a folder you can write with --dest, or remount it read-write", parent)
	case errors.Is(err, fs.ErrPermission):
		hint = fmt.Sprintf("kb may not write in %s: check who owns it and its permissions (ls -ld), or build into another folder with --dest", parent)
	}
	if pid := otherBuild(parent, filepath.Base(dest)); pid != 0 && (hint == "" || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrExist)) {
		hint = fmt.Sprintf("another kb build (process %d) is publishing to %s at the same time: wait for it to finish, then build again", pid, dest)
	}
	if hint == "" {
		return err
	}
	return &Error{Err: err, Hint: hint}
}

// otherBuild returns the id of another running process with a stage for
// the destination base in parent, or 0: stages carry the id of the build
// that writes them (see [Begin]).
func otherBuild(parent, base string) int {
	ents, err := os.ReadDir(parent)
	if err != nil {
		return 0
	}
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), ".kb-stage-"+base+"-")
		if !ok || !e.IsDir() {
			continue
		}
		pid, random, found := strings.Cut(rest, "-")
		if !found || !digits(pid) || !digits(random) {
			continue
		}
		if id, err := strconv.Atoi(pid); err == nil && id != os.Getpid() && alive(id) {
			return id
		}
	}
	return 0
}
