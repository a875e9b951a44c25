package commands_test

import (
	"fmt"
	"testing"

	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

// BenchmarkDispatch measures whole commands (parse, route, Redis, reply)
// against real Redis and reports Redis round trips per command.
func BenchmarkDispatch(b *testing.B) {
	h := pledgetest.New(b)
	rt := &store.RoundTrips{}
	h.Redis.AddHook(rt)
	h.MustDo("alice", "/business register Acme")
	for i := 0; i < 50; i++ {
		h.MustDo("alice", fmt.Sprintf(`/pledge add "Pledge %d" theme:volunteering target:40`, i))
	}
	run := func(name, line string) {
		b.Run(name, func(b *testing.B) {
			h.MustDo("alice", line) // warm the script cache
			rt.Reset()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := h.Reply("alice", line); r.Err != nil {
					b.Fatal(r.Err.Message)
				}
			}
			b.ReportMetric(float64(rt.Count())/float64(b.N), "roundtrips/op")
		})
	}
	run("pledge-add", `/pledge add "Give 40 hours to the food bank" theme:volunteering target:40 due:2027-03-31`)
	run("pledge-progress", `/pledge progress 1 0.5 "an afternoon at the food bank"`)
	run("pledge-list-50", `/pledge list`)
}
