package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

func TestOnce(t *testing.T) {
	rdb := pledgetest.Client(t)
	s := store.New(rdb, pledgetest.Prefix(t, rdb))
	ctx := context.Background()
	for i, want := range []bool{true, false, false} {
		first, err := s.Once(ctx, "c1", "slack-event:Ev1", time.Minute)
		if err != nil || first != want {
			t.Fatalf("delivery %d: first=%v err=%v, want %v", i+1, first, err, want)
		}
	}
	// Another community, or another id, is a first delivery of its own.
	for _, tc := range []struct{ c, id string }{{"c2", "slack-event:Ev1"}, {"c1", "slack-event:Ev2"}} {
		if first, err := s.Once(ctx, tc.c, tc.id, time.Minute); err != nil || !first {
			t.Fatalf("%s %s: first=%v err=%v", tc.c, tc.id, first, err)
		}
	}
}
