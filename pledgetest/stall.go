package pledgetest

import (
	"context"
	"testing"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest/testredis"
	"github.com/pledgebot/pledgebot/store"
)

// NewStalling builds a harness on a redis-server of the test's own, with
// the client opened exactly as the binary opens it (store.Open), so a test
// can stall that server (Server.Stall) and see what people would see. The
// shared test Redis is never stalled.
func NewStalling(t testing.TB, cfg *config.Config) (*Harness, *testredis.Server) {
	t.Helper()
	srv := testredis.Start(t)
	o, err := store.Open(context.Background(), store.Options{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return NewWithClient(t, cfg, o.Client()), srv
}
