// Package pledgetest drives a whole bot synchronously in tests, against a
// real Redis under a key prefix of its own, so tests never touch each
// other's data.
package pledgetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/store"
	"github.com/redis/go-redis/v9"
)

// Harness is a bot wired to a real Redis, acting on the console platform.
type Harness struct {
	T      testing.TB
	Bot    *bot.Bot
	Store  *store.Store
	Redis  redis.UniversalClient
	Prefix string
	Clock  *Clock
	// Admin is the console user made admin by configuration.
	Admin string
}

// RedisURL is where tests find Redis: $REDIS_URL or the local default.
func RedisURL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// OnEmbedded reports whether tests run on the embedded store
// (PLEDGEBOT_TEST_STORE=embedded) instead of a real Redis.
func OnEmbedded() bool { return os.Getenv("PLEDGEBOT_TEST_STORE") == "embedded" }

// SkipOnEmbedded skips a test that needs a real Redis by nature.
func SkipOnEmbedded(t testing.TB, why string) {
	t.Helper()
	if OnEmbedded() {
		t.Skip("needs a real Redis: " + why)
	}
}

var embedded struct {
	once sync.Once
	addr string
	err  error
}

// EmbeddedClient connects to the embedded store as the bot starts it with no
// configuration (store.Open with no URL), one per test process: like the
// shared test Redis, tests keep apart by key prefix.
func EmbeddedClient(t testing.TB) redis.UniversalClient {
	t.Helper()
	embedded.once.Do(func() {
		o, err := store.Open(context.Background(), store.Options{})
		if err != nil {
			embedded.err = err
			return
		}
		embedded.addr = o.EmbeddedAddr() // kept running until the process exits
	})
	if embedded.err != nil {
		t.Fatalf("embedded store: %v", embedded.err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: embedded.addr, DisableIdentity: true})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// Client connects to the test Redis, failing the test if it is not there.
// With REDIS_CLUSTER_URL set it connects to that cluster instead, so the
// same tests run against Redis Cluster; with PLEDGEBOT_TEST_STORE=embedded
// it connects to the embedded store.
func Client(t testing.TB) redis.UniversalClient {
	t.Helper()
	if OnEmbedded() {
		return EmbeddedClient(t)
	}
	var rdb redis.UniversalClient
	if u := os.Getenv("REDIS_CLUSTER_URL"); u != "" {
		opts, err := redis.ParseClusterURL(u)
		if err != nil {
			t.Fatal(err)
		}
		rdb = redis.NewClusterClient(opts)
	} else {
		opts, err := redis.ParseURL(RedisURL())
		if err != nil {
			t.Fatal(err)
		}
		rdb = redis.NewClient(opts)
	}
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("Redis at %s is not answering (start it with redis-server): %v", RedisURL(), err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// Prefix returns a fresh key prefix and deletes its keys when t ends.
func Prefix(t testing.TB, rdb redis.UniversalClient) string {
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "pbtest-" + hex.EncodeToString(b)
	t.Cleanup(func() { DeletePrefix(rdb, prefix) })
	return prefix
}

// Keys lists every key under prefix, on every primary of a cluster.
func Keys(rdb redis.UniversalClient, prefix string) ([]string, error) {
	ctx := context.Background()
	var out []string
	scan := func(c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, prefix+":*", 1000).Iterator()
		for iter.Next(ctx) {
			out = append(out, iter.Val())
		}
		return iter.Err()
	}
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		var mu sync.Mutex
		err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			mu.Lock()
			defer mu.Unlock()
			return scan(c)
		})
		return out, err
	}
	return out, scan(rdb)
}

// DeletePrefix removes every key under prefix (and only those), a
// pipeline of a thousand at a time: benchmarks leave hundreds of
// thousands.
func DeletePrefix(rdb redis.UniversalClient, prefix string) {
	ctx := context.Background()
	keys, _ := Keys(rdb, prefix)
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys[:n] {
				p.Unlink(ctx, k)
			}
			return nil
		})
		keys = keys[n:]
	}
}

// New builds a harness with the default themes. The console user "admin" is
// admin of the console community.
func New(t testing.TB) *Harness {
	t.Helper()
	cfg := &config.Config{Themes: config.DefaultThemes}
	return NewWithConfig(t, cfg)
}

// NewWithConfig builds a harness from a configuration.
func NewWithConfig(t testing.TB, cfg *config.Config) *Harness {
	t.Helper()
	return NewWithClient(t, cfg, Client(t))
}

// NewWithClient builds a harness on a Redis client of the test's own (a
// throwaway server, a cluster).
func NewWithClient(t testing.TB, cfg *config.Config, rdb redis.UniversalClient) *Harness {
	t.Helper()
	prefix := Prefix(t, rdb)
	st := store.New(rdb, prefix)
	clock := NewClock(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	st.SetClock(clock.Now)
	st.SetZones(cfg.Schedules.Zones())
	admin := console.Identity("admin")
	b := bot.New(bot.Options{Store: st, Tenancy: cfg.Tenancy(&admin), Themes: cfg.Themes, Now: clock.Now, Zone: cfg.Schedules.Zones(),
		Reports: bot.ReportConfig{BaseURL: cfg.Reports.BaseURL, Secret: cfg.Reports.Secret},
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil))})
	b.Register(commands.All(b, nil)...)
	return &Harness{T: t, Bot: b, Store: st, Redis: rdb, Prefix: prefix, Clock: clock, Admin: "admin"}
}

// Reply runs one console line ("/pledge list") as user.
func (h *Harness) Reply(user, line string) bot.Reply {
	h.T.Helper()
	name, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	return h.Bot.Handle(context.Background(), bot.Request{From: console.Identity(user), Name: user,
		Channel: "console", Command: name, Text: rest})
}

// Do runs one line as user and returns the reply as plain text.
func (h *Harness) Do(user, line string) string {
	h.T.Helper()
	return bot.PlainText(h.Reply(user, line))
}

// MustDo runs a line that must succeed.
func (h *Harness) MustDo(user, line string) string {
	h.T.Helper()
	r := h.Reply(user, line)
	if r.Err != nil {
		h.T.Fatalf("%s: %s: refused: %s", user, line, r.Err.Message)
	}
	return bot.PlainText(r)
}

// MustFail runs a line that must be refused with code and returns the message.
func (h *Harness) MustFail(user, line string, code bot.Code) string {
	h.T.Helper()
	r := h.Reply(user, line)
	if r.Err == nil {
		h.T.Fatalf("%s: %s: succeeded, want %s refusal:\n%s", user, line, code, bot.PlainText(r))
	}
	if r.Err.Code != code {
		h.T.Fatalf("%s: %s: refused with %s, want %s: %s", user, line, r.Err.Code, code, r.Err.Message)
	}
	return r.Err.Message
}

// Community is the console community's id.
func (h *Harness) Community() string {
	return h.Bot.Tenancy().Community(bot.Console, console.Workspace)
}
