package main

// The schedules' figures (issue 6): a nudge sweep over 100,000 pledges with
// 1,000 due under 1 s, and a week's digest over a history of 1,000,000 at
// most 1.5x the same week over 100,000.
func schedulesFigures() ([]run, []row) {
	runs := []run{{pkg: "./schedules", pattern: "^Benchmark(NudgeSweep|Digest)$", benchtime: "10x"}}
	small := "BenchmarkDigest/history=100000"
	return runs, []row{
		{label: "Nudge sweep, 100,000 pledges, 1,000 due", bench: "BenchmarkNudgeSweep", metric: "ns/op", target: "< 1s", ok: atMost(1e9)},
		{label: "Weekly digest, 1,000 events, history 100,000", bench: small, metric: "ns/op", target: "(figure)"},
		{label: "Weekly digest, 1,000 events, history 1,000,000", bench: "BenchmarkDigest/history=1000000", metric: "ns/op",
			target: "<= 1.5x history 100,000", ok: func(v float64, all results) bool {
				base, ok := all.get(small, "ns/op")
				return ok && v <= 1.5*base
			}},
	}
}
