package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/redis/go-redis/v9"
)

// platformEnv lists the variables that would switch on adapters or point
// the app at another Redis; tests clear them.
var platformEnv = []string{"REDIS_URL", "REDIS_CLUSTER_URL", "REDIS_PASSWORD", "PLEDGEBOT_ADDR", "PLEDGEBOT_LOG_LEVEL", "PLEDGEBOT_LOG_FORMAT",
	"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_API_URL", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_TOKEN_KEY",
	"DISCORD_BOT_TOKEN", "DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_API_URL"}

func clearEnv(t *testing.T) {
	for _, v := range platformEnv {
		t.Setenv(v, "")
	}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pledgebot.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// throwawayRedis is a redis-server of the test's own on a free loopback
// port, with persistence off, that the test can stop and start again on
// the same port.
type throwawayRedis struct {
	t    *testing.T
	port int
	dir  string
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *throwawayRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("this test starts its own redis-server, which is not installed: %v", err)
	}
	r := &throwawayRedis{t: t, port: freePort(t), dir: t.TempDir()}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *throwawayRedis) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *throwawayRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", r.dir, "--loglevel", "warning")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", r.port), MaxRetries: -1})
	defer rdb.Close()
	waitFor(r.t, "redis-server to answer", func() bool { return rdb.Ping(context.Background()).Err() == nil })
}

func (r *throwawayRedis) stop() {
	if r.cmd == nil {
		return
	}
	r.cmd.Process.Kill()
	r.cmd.Wait()
	r.cmd = nil
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitFor polls a loopback condition briefly; it never asserts timing, it
// only gives up after a generous bound so a broken test cannot hang.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// get fetches a URL on a fresh connection and returns status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// scrape reads /metrics into "name{labels}" -> value.
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	code, body := get(t, base+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func redisClient(t *testing.T, r *throwawayRedis) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: strings.TrimPrefix(strings.TrimSuffix(r.URL(), "/0"), "redis://")})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// cliRedis points the commands at the test Redis (or the cluster CI gives)
// under a private prefix, and returns its config file, a client and the
// prefix.
func cliRedis(t *testing.T) (cfg string, rdb redis.UniversalClient, prefix string) {
	rdb = pledgetest.Client(t)
	prefix = pledgetest.Prefix(t, rdb)
	cfg = writeConfig(t, "redis:\n  prefix: "+prefix+"\n")
	if os.Getenv("REDIS_CLUSTER_URL") == "" {
		t.Setenv("REDIS_URL", pledgetest.RedisURL())
	}
	return cfg, rdb, prefix
}

// runCLI runs pledgebot with args and stdin, returning everything it
// printed and its exit code.
func runCLI(stdin string, args ...string) (string, int) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), code
}

// testRedis is the configuration of the Redis pledgetest.Client talks to:
// the cluster CI gives (REDIS_CLUSTER_URL), else the test Redis, so an app
// a test opens writes where the test reads.
func testRedis(prefix string) config.Redis {
	if u := os.Getenv("REDIS_CLUSTER_URL"); u != "" {
		return config.Redis{ClusterURL: u, Prefix: prefix}
	}
	return config.Redis{URL: pledgetest.RedisURL(), Prefix: prefix}
}
