package main

// The council summary's figures (issues 7 and 15): /summary over 100,000
// pledges in under 50 ms and within 2x of the same summary over 1,000. The
// quarter reads monthly sums, last-30d day sums too and an area its
// districts' sums in a large community; 2 of 12 pledges are rate pledges,
// as in real data, counted in the same sums (docs/performance.md,
// "Summary").
func summaryFigures() (runs []run, rows []row) {
	runs = []run{
		{pkg: "./store", pattern: "BenchmarkSummary$", benchtime: "30x"},
		{pkg: "./commands", pattern: "SummaryDispatch", benchtime: "300x"},
	}
	for _, p := range []struct{ label, period string }{
		{"/summary period:2026-Q4", "period:2026-Q4"},
		{"/summary period:last-30d", "period:last-30d"},
		{"/summary period:2026 area:CB1", "period:2026_area:CB1"},
	} {
		small := "BenchmarkSummary/" + p.period + "/pledges=1000"
		rows = append(rows,
			row{label: p.label + ", 1,000 pledges", bench: small, metric: "ns/op", target: "(figure)"},
			row{label: p.label + ", 100,000 pledges", bench: "BenchmarkSummary/" + p.period + "/pledges=100000", metric: "ns/op",
				target: "< 50ms and <= 2x 1,000", ok: func(v float64, all results) bool {
					base, ok := all.get(small, "ns/op")
					return v < 50e6 && ok && v <= 2*base
				}})
	}
	rows = append(rows,
		row{label: "Redis round trips: /summary (configured admin)", bench: "BenchmarkSummaryDispatch/admin-quarter", metric: "roundtrips/op", target: "1", ok: atMost(1)},
		row{label: "Redis round trips: /summary (granted council)", bench: "BenchmarkSummaryDispatch/council-quarter", metric: "roundtrips/op", target: "<= 2 (role lookup + read)", ok: atMost(2)},
	)
	return runs, rows
}
