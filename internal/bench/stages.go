package bench

import (
	"bufio"
	"bytes"
	"regexp"
	"time"
)

// StageTime is one line of kb build --stats: how long a stage took, and
// the processor time it used (zero when not printed).
type StageTime struct {
	Name string
	Took time.Duration
	CPU  time.Duration
}

// stageLine matches a stage line of kb build --stats: name, duration,
// processor time (absent before kb printed it, "-" where unknown), heap
// ("-" where not measured).
var stageLine = regexp.MustCompile(`^([a-z]+) +([0-9][0-9a-zµ.]*) +(?:([0-9][0-9a-zµ.]*|-) +)?(?:\d+ MB|-)$`)

// parseStages reads the stage table kb build --stats prints. Lines that
// are not stage lines (warnings, the summary) are skipped.
func parseStages(out []byte) []StageTime {
	var st []StageTime
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := stageLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		d, err := time.ParseDuration(m[2])
		if err != nil {
			continue
		}
		cpu, _ := time.ParseDuration(m[3]) // "" or "-" when not measured
		st = append(st, StageTime{Name: m[1], Took: d, CPU: cpu})
	}
	return st
}

// medianStages is, for each stage, the median of its times over the runs,
// in the order of the first run.
func medianStages(runs [][]StageTime) []StageTime {
	if len(runs) == 0 {
		return nil
	}
	var out []StageTime
	for _, s := range runs[0] {
		var t, cpu Timing
		for _, r := range runs {
			for _, x := range r {
				if x.Name == s.Name {
					t.Runs = append(t.Runs, x.Took)
					cpu.Runs = append(cpu.Runs, x.CPU)
				}
			}
		}
		out = append(out, StageTime{Name: s.Name, Took: t.Median(), CPU: cpu.Median()})
	}
	return out
}
