package commands_test

import (
	"testing"

	"github.com/pledgebot/pledgebot/store"
)

// BenchmarkSummaryDispatch reports Redis round trips of /summary: the read
// is one script; a granted council member adds the role lookup (one
// pipeline), a configured admin does not.
//
//	go test ./commands -run '^$' -bench SummaryDispatch -benchtime 300x
func BenchmarkSummaryDispatch(b *testing.B) {
	h := fixtureNetwork(b)
	rt := &store.RoundTrips{}
	h.Redis.AddHook(rt)
	for _, c := range []struct{ name, user, line string }{
		{"admin-quarter", h.Admin, "/summary period:2026-Q4"},
		{"council-quarter", "council", "/summary period:2026-Q4"},
		{"council-last-30d", "council", "/summary period:last-30d"},
		{"council-export-csv", "council", "/summary export format:csv period:2026"},
	} {
		b.Run(c.name, func(b *testing.B) {
			h.MustDo(c.user, c.line)
			rt.Reset()
			for b.Loop() {
				if r := h.Reply(c.user, c.line); r.Err != nil {
					b.Fatal(r.Err.Message)
				}
			}
			b.ReportMetric(float64(rt.Count())/float64(b.N), "roundtrips/op")
		})
	}
}
