package integration

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/store"
	"github.com/redis/go-redis/v9"
)

// Load test bounds: workers send for loadFor (at most loadMax requests in
// all); Redis is killed at outageAt and restarted outageFor later.
const (
	loadWorkers = 8
	loadFor     = 6 * time.Second
	loadMax     = 10000
	outageAt    = 2 * time.Second
	outageFor   = 2 * time.Second
)

// ack is one request that got a success reply: what must be in Redis.
type ack struct {
	pledge int    // the pledge it added, or logged progress against
	token  string // unique text: the added pledge's text, or the progress note
	add    bool
}

// TestLoadWithRedisRestart sends concurrent signed /pledge add and /pledge
// progress to a serve process while Redis (append-only, fsync always) is
// killed and restarted once, then counts requests sent, succeeded, refused
// with the clear "nothing was saved" reply, and lost: acknowledged but
// missing after the restart. Lost must be 0.
func TestLoadWithRedisRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	t.Parallel() // overlaps the cluster test's wait on its child go test
	bin := pledgebotBinary(t)
	s := StartRedis(t, "--appendonly", "yes", "--appendfsync", "always")
	slack := newSlackFake(t)
	cfg := testConfig(t)
	r := startReplica(t, bin, cfg, s.URL(), slack)
	client := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: loadWorkers}}

	// One business and one pledge per owner, progress goes to those.
	const owners = 4
	base := make([]int, owners)
	for o := 0; o < owners; o++ {
		user := fmt.Sprintf("ULOAD%d", o)
		mustSlash(t, client, r, slack, user, fmt.Sprintf("setup-reg-%d", o), "/business", fmt.Sprintf("register Load%d", o))
		base[o] = pledgeNumber(mustSlash(t, client, r, slack, user, fmt.Sprintf("setup-add-%d", o), "/pledge", `add "base" theme:volunteering target:100000`))
	}
	if t.Failed() {
		t.FailNow()
	}

	// /readyz watcher: remembers whether it saw 503 while Redis was down.
	var sawDown, sawBadReady atomic.Bool
	stopWatch := make(chan struct{})
	var watch sync.WaitGroup
	var redisDown atomic.Bool
	watch.Go(func() {
		for {
			select {
			case <-stopWatch:
				return
			case <-time.After(50 * time.Millisecond):
			}
			resp, err := client.Get(r.URL + "/readyz")
			if err != nil {
				sawBadReady.Store(true)
				continue
			}
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusServiceUnavailable && redisDown.Load():
				sawDown.Store(true)
			case resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusServiceUnavailable:
				sawBadReady.Store(true)
			}
		}
	})

	var sent, succeeded, refused atomic.Int64
	var mu sync.Mutex
	var acks []ack
	var unclear []string
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < loadWorkers; w++ {
		wg.Go(func() {
			o := w % owners
			user := fmt.Sprintf("ULOAD%d", o)
			for i := 0; time.Since(start) < loadFor && sent.Add(1) <= loadMax; i++ {
				token := fmt.Sprintf("lw%di%dz", w, i)
				var a ack
				var line string
				if i%2 == 0 {
					a = ack{add: true, token: token}
					line = `add "` + token + `" theme:carbon target:5`
				} else {
					a = ack{pledge: base[o], token: token}
					line = fmt.Sprintf("progress %d 1 %s", base[o], token)
				}
				res := slash(client, r, slack, user, "load-"+token, "/pledge", line)
				switch {
				case res.Err == nil && res.Status == 200 && !strings.HasPrefix(res.Text, "Sorry"):
					succeeded.Add(1)
					if a.add {
						a.pledge = pledgeNumber(res.Text)
					}
					mu.Lock()
					acks = append(acks, a)
					mu.Unlock()
				case res.Err == nil && res.Status == 200 && strings.Contains(res.Text, "nothing was saved"):
					refused.Add(1)
				default:
					mu.Lock()
					unclear = append(unclear, fmt.Sprintf("%s (trigger load-%s) /pledge %s, answered at %s: status %d, err %v, reply %q",
						user, token, line, time.Since(start).Round(time.Millisecond), res.Status, res.Err, res.Text))
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(outageAt)
	redisDown.Store(true)
	s.Stop()
	time.Sleep(outageFor)
	s.Start(t)
	redisDown.Store(false)
	wg.Wait()
	elapsed := time.Since(start)

	// Ready again without a restart of the bot.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := client.Get(r.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not return to 200 after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(stopWatch)
	watch.Wait()

	// Lost: acknowledged, but not in Redis after the restart.
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr()})
	defer rdb.Close()
	ctx := context.Background()
	// Histories are the ledger's entries (store/lua/figures.lua): one list
	// a month, each entry naming its pledge third.
	logs := map[int]string{}
	for _, month := range rdb.ZRange(ctx, "pb:{town}:months", 0, -1).Val() {
		for _, e := range rdb.LRange(ctx, "pb:{town}:ledger:"+month, 0, -1).Val() {
			if f := strings.SplitN(e, "|", 4); len(f) == 4 {
				n, _ := strconv.Atoi(f[2])
				logs[n] += e + "\n"
			}
		}
	}
	lost := 0
	for _, a := range acks {
		if a.add {
			// (x: the text's stored name, pledge_short in store/lua/prelude.lua; packed)
			p, _ := store.ReadPackedPledge(ctx, rdb, "pb:{town}:", a.pledge)
			if text := p["x"]; text != a.token {
				lost++
				t.Errorf("lost: pledge #%d %q acknowledged, now %q", a.pledge, a.token, text)
			}
			continue
		}
		if !strings.Contains(logs[a.pledge], a.token) {
			lost++
			t.Errorf("lost: progress %s on pledge #%d acknowledged, not in its history", a.token, a.pledge)
		}
	}
	n := min(sent.Load(), loadMax)
	t.Logf("load: %d requests in %s (%d workers, Redis down %s): %d succeeded, %d refused with \"nothing was saved\", %d unclear, %d lost",
		n, elapsed.Round(time.Millisecond), loadWorkers, outageFor, succeeded.Load(), refused.Load(), len(unclear), lost)
	if len(unclear) > 0 {
		// Every one, with its request: a count alone does not say what went wrong.
		t.Errorf("%d answers were neither a success nor the clear refusal (Redis down from %s to %s):\n%s",
			len(unclear), outageAt, outageAt+outageFor, strings.Join(unclear, "\n"))
	}
	if refused.Load() == 0 {
		t.Error("no request was refused: the outage was not exercised")
	}
	if !sawDown.Load() {
		t.Error("/readyz never said 503 while Redis was down")
	}
	if sawBadReady.Load() {
		t.Error("/readyz failed or answered something other than 200/503")
	}
	r.stop(t) // the log buffer is only safe to read once the process has exited
	if strings.Contains(r.logs.String(), "panic") {
		t.Errorf("the bot panicked:\n%s", r.logs)
	}
	if strings.Contains(r.logs.String(), "Set appendonly yes") {
		t.Errorf("persistence warning with appendonly on:\n%s", r.logs)
	}
}

// pledgeNumber reads N from "Pledge #N added for …".
func pledgeNumber(reply string) int {
	f := strings.Fields(strings.TrimPrefix(reply, "Pledge #") + " x")
	n, _ := strconv.Atoi(f[0])
	return n
}
