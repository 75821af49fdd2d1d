package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/kb-postmortems/kb/internal/site"
)

// startProfiles starts the profiles asked for, the way go test's
// -cpuprofile and -memprofile do; the returned func writes them out. A
// build too slow or too big is then reported with its profile, not a guess.
func startProfiles(cpu, mem string) (stop func(), err error) {
	var cpuFile *os.File
	if cpu != "" {
		cpuFile, err = os.Create(cpu)
		if err != nil {
			return nil, &usageError{msg: "--cpuprofile: " + err.Error(), hint: "give a path in a folder that exists and can be written"}
		}
		if err := pprof.StartCPUProfile(cpuFile); err != nil {
			cpuFile.Close()
			return nil, &usageError{msg: "--cpuprofile: " + err.Error(), hint: "only one profile can run at a time"}
		}
	}
	if mem != "" {
		runtime.MemProfileRate = 512 * 1024
	}
	return func() {
		if cpuFile != nil {
			pprof.StopCPUProfile()
			cpuFile.Close()
		}
		if mem != "" {
			f, err := os.Create(mem)
			if err != nil {
				fmt.Fprintf(os.Stderr, "kb: --memprofile: %v\n", err)
				return
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				fmt.Fprintf(os.Stderr, "kb: --memprofile: %v\n", err)
			}
		}
	}, nil
}

// printStages writes the --stats table: each stage's time, the processor
// time it used (above its time where it ran in parallel) and the heap in
// use when it ended, then what the process took from the system, which
// bounds its peak.
func printStages(w io.Writer, stages []site.Stage) {
	fmt.Fprintf(w, "%-10s %10s %10s %10s\n", "stage", "took", "cpu", "heap")
	for _, s := range stages {
		heap, cpu := "-", "-"
		if s.HeapBytes > 0 {
			heap = fmt.Sprintf("%d MB", s.HeapBytes>>20)
		}
		if s.CPU > 0 {
			cpu = roundDuration(s.CPU).String()
		}
		fmt.Fprintf(w, "%-10s %10s %10s %10s\n", s.Name, roundDuration(s.Took), cpu, heap)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(w, "memory from the system: %d MB; allocated in all: %d MB in %d GC cycles\n", ms.Sys>>20, ms.TotalAlloc>>20, ms.NumGC)
}
