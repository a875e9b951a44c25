package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
)

// testRedis connects the package's own tests to the test Redis ($REDIS_URL
// or the local default) under a fresh key prefix, deleted when t ends.
// (pledgetest does this for other packages; it imports store.)
func testRedis(t testing.TB) (*redis.Client, string) {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	if onEmbedded() {
		url = "redis://" + embeddedAddr(t)
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("Redis at %s: %v", url, err)
	}
	raw := make([]byte, 6)
	rand.Read(raw)
	prefix := "pbtest-" + hex.EncodeToString(raw)
	t.Cleanup(func() {
		deletePrefix(rdb, prefix)
		rdb.Close()
	})
	return rdb, prefix
}

var embedded struct {
	once sync.Once
	addr string
	err  error
}

// embeddedAddr is the embedded store the bot starts with no configuration,
// one per test process (PLEDGEBOT_TEST_STORE=embedded; pledgetest.Client
// does the same for the package's external tests).
func embeddedAddr(t testing.TB) string {
	embedded.once.Do(func() {
		o, err := Open(context.Background(), Options{})
		embedded.err = err
		if err == nil {
			embedded.addr = o.EmbeddedAddr() // kept running until the process exits
		}
	})
	if embedded.err != nil {
		t.Fatalf("embedded store: %v", embedded.err)
	}
	return embedded.addr
}

// onEmbedded reports whether the tests run on the embedded store.
func onEmbedded() bool { return os.Getenv("PLEDGEBOT_TEST_STORE") == "embedded" }

// skipOnEmbedded skips a test that needs a real Redis by nature.
func skipOnEmbedded(t testing.TB, why string) {
	t.Helper()
	if onEmbedded() {
		t.Skip("needs a real Redis: " + why)
	}
}
