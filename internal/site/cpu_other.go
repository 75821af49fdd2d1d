//go:build !unix

package site

import "time"

// cpuTime is zero where the process's processor time is not known.
func cpuTime() time.Duration { return 0 }
