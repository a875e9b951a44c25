package main

// The pledge write scripts as Redis itself times them (INFO commandstats):
// what each /pledge add or progress costs the one Redis thread every
// replica shares. Only meaningful on the private Redis pledgebench starts.
func scriptsFigures() (runs []run, rows []row) {
	runs = []run{{pkg: "./store", pattern: "BenchmarkWriteScripts", benchtime: "2000x"}}
	for _, w := range []struct{ label, bench string }{
		{"add_pledge script, business without postcode", "add/1scope"},
		{"add_pledge script, business with postcode (3 scopes)", "add/3scopes"},
		{"progress script, business without postcode", "progress/1scope"},
		{"progress script, business with postcode (3 scopes)", "progress/3scopes"},
	} {
		rows = append(rows, row{label: "Redis time: " + w.label, bench: "BenchmarkWriteScripts/" + w.bench, metric: "redis-us/op", target: "(figure)"})
	}
	return runs, rows
}
