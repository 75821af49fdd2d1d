package bench

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"sort"
	"syscall"
	"time"
)

// Timing is what repeated runs of one command measured.
type Timing struct {
	Runs []time.Duration
	// Outputs holds what each run printed, stdout and stderr together.
	Outputs [][]byte
	// PeakRSS is the largest resident set of any run, in bytes.
	PeakRSS int64
}

// Median is the middle run: the figure least moved by a noisy machine.
func (t Timing) Median() time.Duration {
	if len(t.Runs) == 0 {
		return 0
	}
	r := append([]time.Duration{}, t.Runs...)
	sort.Slice(r, func(i, j int) bool { return r[i] < r[j] })
	return r[len(r)/2]
}

// Min and Max bound the runs.
func (t Timing) Min() time.Duration { return t.sorted()[0] }
func (t Timing) Max() time.Duration { s := t.sorted(); return s[len(s)-1] }

func (t Timing) sorted() []time.Duration {
	r := append([]time.Duration{0}, t.Runs...)[1:]
	if len(r) == 0 {
		return []time.Duration{0}
	}
	sort.Slice(r, func(i, j int) bool { return r[i] < r[j] })
	return r
}

// measure runs a command runs times and records wall time and peak
// resident memory (from the kernel's accounting of the child, so it covers
// the whole process, not only the Go heap). okCodes are the exit codes
// that count as success (kb lint exits 1 when it has findings).
func measure(ctx context.Context, runs int, dir string, okCodes []int, name string, args ...string) (Timing, error) {
	var t Timing
	for i := 0; i < runs; i++ {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		el := time.Since(start)
		code := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				return t, fmt.Errorf("%s: %w", name, err)
			}
			code = ee.ExitCode()
		}
		ok := false
		for _, c := range okCodes {
			if c == code {
				ok = true
			}
		}
		if !ok {
			tail := out.String()
			if len(tail) > 2000 {
				tail = tail[len(tail)-2000:]
			}
			return t, fmt.Errorf("%s %v: exit %d\n%s", name, args, code, tail)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss := int64(ru.Maxrss) * 1024 // kilobytes on Linux
			if rss > t.PeakRSS {
				t.PeakRSS = rss
			}
		}
		t.Runs = append(t.Runs, el)
		t.Outputs = append(t.Outputs, out.Bytes())
	}
	return t, nil
}
