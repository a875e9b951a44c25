package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
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
