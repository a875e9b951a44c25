package schedules

import (
	"context"
	"fmt"
	"testing"

	"github.com/pledgebot/pledgebot/config"
)

// Three replicas running the tick and the community sweep at once send
// each person one message: alice on her own time, bob on the community's.
func TestOwnTimeOnceAcrossReplicas(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-20 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", "/business add-member @bob role:owner")
	for i := range 5 {
		e.MustDo("alice", fmt.Sprintf(`/pledge add "P%d" theme:carbon target:1 due:2026-11-25`, i))
	}
	e.MustDo("alice", "/nudges time 09:55")
	e.at(t, "2026-11-24 10:00")
	at := e.Clock.Now()
	scheds := []*Scheduler{e.sched, e.newSched(t, "replica-2"), e.newSched(t, "replica-3")}
	errs := make(chan error, 2*len(scheds))
	done := make(chan struct{})
	for _, s := range scheds {
		go func() {
			defer func() { done <- struct{}{} }()
			if _, err := s.Tick(context.Background(), e.Community(), at); err != nil {
				errs <- err
			}
			if _, err := s.Run(context.Background(), JobNudges, e.Community(), at); err != nil {
				errs <- err
			}
		}()
	}
	for range scheds {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, n := range e.rec.take() {
		count[n.To.User]++
	}
	if fmt.Sprint(count) != "map[alice:1 bob:1]" {
		t.Fatalf("messages %v, want one each", count)
	}
}
