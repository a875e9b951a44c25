package slack

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/redis/go-redis/v9"
)

// The lead's `make bench` compares these two: a signed /pledge add over
// loopback HTTP through the whole stack (signature, parse, bot, Lua script
// on real Redis, Block Kit rendering) against a bare net/http handler
// answering the same request with the same client. Both report req/s and
// p99 latency.

func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}}
}

// benchServer is a Slack adapter on loopback over a real-Redis bot with one
// registered business, and a request maker.
func benchServer(b *testing.B) (*pledgetest.Harness, func(i int64) *http.Request) {
	prev := slog.Default()
	// Production logs every command; keep that cost but not the output.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	b.Cleanup(func() { slog.SetDefault(prev) })
	h := pledgetest.New(b)
	a := New(Options{Bot: h.Bot, Once: h.Store, SigningSecret: secret, BotToken: "xoxb-bench"})
	b.Cleanup(a.Close)
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	client := benchClient()
	do := func(text string, trigger string) {
		req := signedCommand(srv.URL, "/business", text, trigger)
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("setup: %v %v", err, resp)
		}
		resp.Body.Close()
	}
	do("register Bench Bakery", "setup-1")
	return h, func(i int64) *http.Request {
		return signedCommand(srv.URL, "/pledge", `add "Hire local apprentice number `+strconv.FormatInt(i, 10)+`" theme:apprenticeships target:2 due:2027-06-30`,
			"bench-"+strconv.FormatInt(i, 10))
	}
}

func signedCommand(base, command, text, trigger string) *http.Request {
	body := url.Values{"command": {command}, "text": {text}, "team_id": {team}, "user_id": {"U0BENCH"}, "user_name": {"bench"},
		"channel_id": {"C0BENCH"}, "response_url": {"https://hooks.slack.invalid/x"}, "trigger_id": {trigger}}.Encode()
	ts := time.Now().Unix()
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", Sign(secret, ts, []byte(body)))
	return req
}

// latencies collects per-request durations from parallel goroutines.
type latencies struct {
	mu  sync.Mutex
	all []time.Duration
}

func (l *latencies) add(d []time.Duration) {
	l.mu.Lock()
	l.all = append(l.all, d...)
	l.mu.Unlock()
}

func (l *latencies) report(b *testing.B, elapsed time.Duration) {
	if len(l.all) == 0 {
		return
	}
	slices.Sort(l.all)
	at := func(q int) float64 { return float64(l.all[min(len(l.all)-1, len(l.all)*q/100)].Microseconds()) / 1000 }
	b.ReportMetric(at(50), "p50-ms")
	b.ReportMetric(at(99), "p99-ms")
	b.ReportMetric(float64(len(l.all))/elapsed.Seconds(), "req/s")
}

// redisCPU is the Redis server's CPU time so far (user and system), from
// INFO cpu; nil rdb (no Redis in the benchmark) reads as zero.
func redisCPU(b *testing.B, rdb redis.UniversalClient) time.Duration {
	if rdb == nil {
		return 0
	}
	info, err := rdb.Info(context.Background(), "cpu").Result()
	if err != nil {
		b.Fatal(err)
	}
	var sec float64
	for _, line := range strings.Split(info, "\r\n") {
		k, v, _ := strings.Cut(line, ":")
		if k == "used_cpu_sys" || k == "used_cpu_user" {
			f, _ := strconv.ParseFloat(v, 64)
			sec += f
		}
	}
	return time.Duration(sec * float64(time.Second))
}

// parallel runs one request per iteration across GOMAXPROCS*8 goroutines.
// With rdb it also reports the Redis server's CPU time per request, which
// is only meaningful on a Redis nobody else is using (as `make bench` runs).
func parallel(b *testing.B, client *http.Client, rdb redis.UniversalClient, makeReq func(i int64) *http.Request, check string) {
	var seq atomic.Int64
	var lat latencies
	b.SetParallelism(8)
	cpu0 := redisCPU(b, rdb)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			req := makeReq(seq.Add(1))
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			mine = append(mine, time.Since(t0))
			if resp.StatusCode != 200 || !strings.Contains(string(body), check) {
				b.Errorf("status %d: %.200s", resp.StatusCode, body)
				return
			}
		}
		lat.add(mine)
	})
	elapsed := time.Since(start)
	b.StopTimer()
	lat.report(b, elapsed)
	if rdb != nil {
		b.ReportMetric(float64((redisCPU(b, rdb)-cpu0).Microseconds())/float64(b.N), "redis-cpu-us/op")
	}
}

func BenchmarkSignedPledgeAdd(b *testing.B) {
	h, makeReq := benchServer(b)
	parallel(b, benchClient(), h.Redis, makeReq, "added for Bench Bakery")
}

func BenchmarkBareHandler(b *testing.B) {
	bare(b, nil, nil)
}

// bare benchmarks a handler that reads the request and answers a fixed
// reply, after work (when not nil) has run; rdb is the Redis it uses.
func bare(b *testing.B, rdb redis.UniversalClient, work func(*http.Request) error) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if work != nil {
			if err := work(r); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"response_type":"ephemeral","text":"ok"}`)
	}))
	defer srv.Close()
	parallel(b, benchClient(), rdb, func(i int64) *http.Request {
		return signedCommand(srv.URL, "/pledge", `add "Hire local apprentice number `+strconv.FormatInt(i, 10)+`" theme:apprenticeships target:2`, "bare")
	}, "ok")
}

// BenchmarkBareHandlerRedisRoundTrip is the bare handler plus the least a
// Redis-backed command can do: one EVALSHA of a one-line script. Its rate
// against BenchmarkBareHandler bounds what any signed command can reach on
// the same machine.
func BenchmarkBareHandlerRedisRoundTrip(b *testing.B) {
	rdb := pledgetest.Client(b)
	key := pledgetest.Prefix(b, rdb) + ":{bench}:n"
	incr := redis.NewScript(`return redis.call('INCR', KEYS[1])`)
	bare(b, rdb, func(r *http.Request) error {
		return incr.Run(r.Context(), rdb, []string{key}).Err()
	})
}

// BenchmarkBareHandlerStoreAdd is the bare handler plus the store's whole
// AddPledge (the add_pledge script on real Redis), without signature, form,
// bot or Block Kit: the most a signed /pledge add could reach with every
// part of the bot but the store costing nothing.
func BenchmarkBareHandlerStoreAdd(b *testing.B) {
	h := pledgetest.New(b)
	h.MustDo("alice", "/business register Bench Bakery")
	actor := bot.Actor{ID: console.Identity("alice")}
	var seq atomic.Int64
	bare(b, h.Redis, func(r *http.Request) error {
		n := strconv.FormatInt(seq.Add(1), 10)
		_, err := h.Store.AddPledge(r.Context(), h.Community(), actor, bot.NewPledge{Text: "Hire local apprentice number " + n,
			Theme: "apprenticeships", Target: 2, Unit: "people", Visibility: bot.Public}, "bench-"+n)
		return err
	})
}

// BenchmarkSignedPledgeAdd1000rps sends b.N signed /pledge add requests at
// a steady 1,000 per second (open loop: a slow answer does not slow the
// sender) and reports their p99 latency.
func BenchmarkSignedPledgeAdd1000rps(b *testing.B) {
	_, makeReq := benchServer(b)
	client := benchClient()
	const interval = time.Millisecond
	durs := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	var failed atomic.Int64
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		req := makeReq(int64(i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				failed.Add(1)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			durs[i] = time.Since(t0)
			if resp.StatusCode != 200 {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed", n, b.N)
	}
	lat := latencies{all: durs}
	lat.report(b, elapsed)
}
