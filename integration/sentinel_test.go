package integration

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
	"github.com/redis/go-redis/v9"
)

// TestSentinelTopology runs the bot through a Sentinel that watches a
// throwaway primary, as `redis.sentinel` in the config file sets up.
func TestSentinelTopology(t *testing.T) {
	primary := StartRedis(t)
	port := FreePort(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf("port %d\nbind 127.0.0.1\nsentinel monitor pb 127.0.0.1 %d 1\n", port, primary.Port)), 0o600)
	cmd := exec.Command("redis-server", conf, "--sentinel")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	sc := redis.NewSentinelClient(&redis.Options{Addr: addr})
	defer sc.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if a, err := sc.GetMasterAddrByName(context.Background(), "pb").Result(); err == nil && len(a) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("sentinel did not come up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	st, err := store.Open(context.Background(), store.Options{Sentinel: &store.Sentinel{MasterName: "pb", Addrs: []string{addr}}, Prefix: "pbtest-sentinel"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := pledgetest.NewWithClient(t, &config.Config{Themes: config.DefaultThemes}, st.Client())
	h.MustDo("alice", "/business register Acme")
	h.MustDo("alice", `/pledge add "Plant trees" theme:carbon target:5`)
	if r := h.Reply("alice", "/pledge list"); r.Err != nil || len(r.Items) != 1 {
		t.Fatalf("list through sentinel: %+v", r)
	}
	// The write really went to the primary Sentinel named.
	direct := redis.NewClient(&redis.Options{Addr: primary.Addr()})
	defer direct.Close()
	if p, _ := store.ReadPackedPledge(context.Background(), direct, h.Prefix+":{"+h.Community()+"}:", 1); p == nil {
		t.Fatal("pledge not on the primary")
	}
}
