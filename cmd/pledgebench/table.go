package main

// figures lists every benchmark invocation and every row of the table, in
// the order they run and print: the headline figures, then the schedules',
// the scripts' and the summary's.
func figures() (runs []run, rows []row) {
	runs, rows = headlineRuns, headlineRows
	for _, part := range []func() ([]run, []row){schedulesFigures, scriptsFigures, summaryFigures} {
		r, w := part()
		runs, rows = append(runs, r...), append(rows, w...)
	}
	return runs, rows
}

// headlineRuns are the headline benchmark invocations, cheapest first; a
// package missing from the tree is skipped.
var headlineRuns = []run{
	{pkg: "./commands", pattern: "Dispatch", benchtime: "3000x"},
	{pkg: "./store", pattern: "MemoryPerPledge", benchtime: "1x"},
	{pkg: "./adapters/slack", pattern: "^Benchmark(SignedPledgeAdd|BareHandler|SignedPledgeAdd1000rps)$", benchtime: "2s", count: 5},
}

// headlineRows are the headline figures and their targets.
var headlineRows = []row{
	{label: "Redis round trips: /pledge add", bench: "BenchmarkDispatch/pledge-add", metric: "roundtrips/op", target: "1", ok: atMost(1)},
	{label: "Redis round trips: /pledge progress", bench: "BenchmarkDispatch/pledge-progress", metric: "roundtrips/op", target: "1", ok: atMost(1)},
	{label: "Redis round trips: /pledge list (50)", bench: "BenchmarkDispatch/pledge-list-50", metric: "roundtrips/op", target: "<= 2", ok: atMost(2)},
	{label: "/pledge add, whole dispatch", bench: "BenchmarkDispatch/pledge-add", metric: "ns/op", target: "(figure)"},
	{label: "/pledge progress, whole dispatch", bench: "BenchmarkDispatch/pledge-progress", metric: "ns/op", target: "(figure)"},
	{label: "/pledge list (50), whole dispatch", bench: "BenchmarkDispatch/pledge-list-50", metric: "ns/op", target: "(figure)"},
	{label: "Redis memory per pledge (100,000, indexes and audit)", bench: "BenchmarkMemoryPerPledge", metric: "bytes/pledge", target: "<= 600 bytes", ok: atMost(600)},
	{label: "Bare net/http handler, same client", bench: "BenchmarkBareHandler", metric: "req/s", target: "(figure)"},
	{label: "Slack signed /pledge add over HTTP", bench: "BenchmarkSignedPledgeAdd", metric: "req/s", target: ">= 40% of bare handler", ok: share("BenchmarkBareHandler", "req/s", 0.4)},
	{label: "Slack signed /pledge add, p99 at 1,000 req/s", bench: "BenchmarkSignedPledgeAdd1000rps", metric: "p99-ms", target: "< 10 ms", ok: atMost(10)},
}

// share checks v against a fraction of another benchmark's figure.
func share(bench, metric string, fraction float64) func(float64, results) bool {
	return func(v float64, all results) bool {
		base, ok := all.get(bench, metric)
		return ok && v >= fraction*base
	}
}

func atMost(limit float64) func(float64, results) bool {
	return func(v float64, _ results) bool { return v <= limit }
}
