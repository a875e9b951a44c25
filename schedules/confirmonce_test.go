package schedules

import (
	"context"
	"sync"
	"testing"

	"github.com/pledgebot/pledgebot/config"
)

// Two replicas draining the outbox at once, each twice: each of the
// partner's people is asked to confirm each entry exactly once.
func TestRequestsToConfirmSentOnceByTwoRunners(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-20 12:00")
	e.MustDo("fiona", "/partner register Food Bank")
	e.MustDo("fiona", "/partner add-member gus")
	e.MustDo("ann", "/business register Acme")
	e.MustDo("ann", `/pledge add "Volunteer" theme:volunteering target:40 partner:1`)
	e.MustDo("ann", "/pledge progress 1 8")
	e.MustDo("ann", "/pledge progress 1 6")
	ctx := context.Background()
	other := e.newSched(t, "replica-2")
	var wg sync.WaitGroup
	for _, s := range []*Scheduler{e.sched, other, e.sched, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Drain(ctx, e.Community()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got := map[string]int{}
	for _, n := range e.rec.take() {
		got[n.ID]++
	}
	want := []string{"confirm:1:1:console:local:fiona", "confirm:1:1:console:local:gus",
		"confirm:1:2:console:local:fiona", "confirm:1:2:console:local:gus"}
	if len(got) != len(want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("%s sent %d times", id, got[id])
		}
	}
	if n, _ := e.Store.OutboxLen(ctx, e.Community()); n != 0 {
		t.Fatalf("outbox still holds %d", n)
	}
}
