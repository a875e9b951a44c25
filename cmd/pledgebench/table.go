package main

// runs are the benchmark invocations, cheapest first; a package missing
// from the tree is skipped.
var runs = []run{
	{pkg: "./commands", pattern: "Dispatch", benchtime: "3000x"},
	{pkg: "./store", pattern: "MemoryPerPledge", benchtime: "1x"},
}

// rows are the headline figures and their targets.
var rows = []row{
	{label: "Redis round trips: /pledge add", bench: "BenchmarkDispatch/pledge-add", metric: "roundtrips/op", target: "1", ok: atMost(1)},
	{label: "Redis round trips: /pledge progress", bench: "BenchmarkDispatch/pledge-progress", metric: "roundtrips/op", target: "1", ok: atMost(1)},
	{label: "Redis round trips: /pledge list (50)", bench: "BenchmarkDispatch/pledge-list-50", metric: "roundtrips/op", target: "<= 2", ok: atMost(2)},
	{label: "/pledge add, whole dispatch", bench: "BenchmarkDispatch/pledge-add", metric: "ns/op", target: "(figure)"},
	{label: "/pledge progress, whole dispatch", bench: "BenchmarkDispatch/pledge-progress", metric: "ns/op", target: "(figure)"},
	{label: "/pledge list (50), whole dispatch", bench: "BenchmarkDispatch/pledge-list-50", metric: "ns/op", target: "(figure)"},
	{label: "Redis memory per pledge (100,000, indexes and audit)", bench: "BenchmarkMemoryPerPledge", metric: "bytes/pledge", target: "<= 600 bytes", ok: atMost(600)},
}

func atMost(limit float64) func(float64, results) bool {
	return func(v float64, _ results) bool { return v <= limit }
}
