package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

const versionUsage = `Usage:
	kb version

Prints the version of kb, the commit it was built from and the Go version.
`

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags("version")
	if err := e.parseFlags(fs, versionUsage, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, versionString())
	return nil
}

// versionString describes the binary from its build information: the module
// version when installed with go install, else the commit.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "kb (unknown version)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	out := "kb " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		out += " " + rev
		if at != "" {
			out += " " + at
		}
		if modified {
			out += " (modified)"
		}
	}
	return out + " " + bi.GoVersion
}
