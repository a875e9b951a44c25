package integration

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
	"github.com/redis/go-redis/v9"
)

// TestThreeReplicasShareOneRedis runs three `pledgebot serve` processes on
// one Redis, spreads signed Slack slash commands across them, delivers
// every command twice to two different replicas (a Slack retry carries
// the same trigger_id), and checks each effect happened exactly once.
func TestThreeReplicasShareOneRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := pledgebotBinary(t)
	s := StartRedis(t)
	slack := newSlackFake(t)
	cfg := testConfig(t)
	var rs []*replica
	for i := 0; i < 3; i++ {
		rs = append(rs, startReplica(t, bin, cfg, s.URL(), slack))
	}
	client := &http.Client{Timeout: 10 * time.Second}

	// twice delivers one command (one trigger_id) to two replicas at once.
	twice := func(i int, user, trigger, command, text string) []string {
		var wg sync.WaitGroup
		out := make([]string, 2)
		for k := 0; k < 2; k++ {
			wg.Go(func() { out[k] = mustSlash(t, client, rs[(i+k)%3], slack, user, trigger, command, text) })
		}
		wg.Wait()
		return out
	}

	const businesses, progressEach = 3, 4
	var wg sync.WaitGroup
	for b := 0; b < businesses; b++ {
		wg.Go(func() {
			user := fmt.Sprintf("UOWNER%d", b)
			got := twice(b, user, fmt.Sprintf("trg-reg-%d", b), "/business", fmt.Sprintf("register Biz%d", b))
			if got[0] != got[1] {
				t.Errorf("a retry got a different answer: %q vs %q", got[0], got[1])
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// Business numbers are given in order of arrival; find each owner's.
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr()})
	defer rdb.Close()
	ctx := context.Background()
	names, err := rdb.HGetAll(ctx, "pb:{town}:business-names").Result()
	if err != nil || len(names) != businesses {
		t.Fatalf("businesses: %v %v", names, err)
	}

	// Each owner adds one pledge, then logs progress several times, every
	// command delivered twice, all owners at once.
	pledgeOf := make([]int, businesses)
	for b := 0; b < businesses; b++ {
		wg.Go(func() {
			user := fmt.Sprintf("UOWNER%d", b)
			got := twice(b+1, user, fmt.Sprintf("trg-add-%d", b), "/pledge", `add "Volunteer hours" theme:volunteering target:100`)
			f := strings.Fields(strings.TrimPrefix(got[0], "Pledge #") + " x")
			n, err := strconv.Atoi(f[0])
			if err != nil {
				t.Errorf("pledge number in %q", got[0])
				return
			}
			pledgeOf[b] = n
			for k := 0; k < progressEach; k++ {
				twice(b+k, user, fmt.Sprintf("trg-prog-%d-%d", b, k), "/pledge", fmt.Sprintf("progress %d %d", n, k+1))
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	// Exactly once: one pledge per business, progress 1+2+3+4 each.
	if n, _ := rdb.Get(ctx, "pb:{town}:seq:pledge").Int(); n != businesses {
		t.Errorf("%d pledges numbered, want %d", n, businesses)
	}
	for b, n := range pledgeOf {
		show := mustSlash(t, client, rs[b%3], slack, fmt.Sprintf("UOWNER%d", b), fmt.Sprintf("trg-show-%d", b), "/pledge", fmt.Sprintf("show %d", n))
		if !strings.Contains(show, "10% (10 of 100 hours)") {
			t.Errorf("pledge %d: want progress 10 of 100, got %q", n, show)
		}
		admin := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "check"}, Admin: true}
		if _, events, err := store.New(rdb, "pb").Pledge(ctx, "town", admin, n); err != nil || len(events) != 1+progressEach {
			t.Errorf("pledge %d history has %d events (%v), want its creation and %d", n, len(events), err, progressEach)
		}
	}
	ever := bot.Period{Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Now().AddDate(1, 0, 0)}
	figs, _, err := store.New(rdb, "pb").Summary(ctx, "town", bot.SummaryFilter{Period: ever, Previous: bot.Period{Start: ever.Start, End: ever.Start}}, time.Now())
	if v := figs.Themes["volunteering"]; err != nil || v == nil || v.ToDate != float64(businesses*10) {
		t.Errorf("delivered to date %+v (%v), want %d", v, err, businesses*10)
	}
	actions := map[string]int{}
	entries, err := store.New(rdb, "pb").Audit(ctx, "town", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		actions[e.Action]++
	}
	want := map[string]int{"business.register": businesses, "pledge.add": businesses, "pledge.progress": businesses * progressEach}
	for a, n := range want {
		if actions[a] != n {
			t.Errorf("audit has %d %s entries, want %d (all: %v)", actions[a], a, n, actions)
		}
	}

	// The weekly digest through two processes at once: one digest.
	mustSlash(t, client, rs[0], slack, adminUser, "trg-sub", "/digest", "subscribe")
	// A Monday at the default digest time, far enough ahead that the
	// replicas' own schedulers (on the real clock) have not run it.
	at := "2036-01-07T09:00:00Z"
	outs := make([]string, 2)
	for k := 0; k < 2; k++ {
		wg.Go(func() {
			cmd := exec.Command(bin, "run-job", "digest", "--at", at, "--community", community, "--config", cfg)
			cmd.Env = rs[0].cmd.Env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("run-job: %v\n%s", err, out)
			}
			outs[k] = string(out)
		})
	}
	wg.Wait()
	all := outs[0] + outs[1]
	if strings.Count(all, "1 enqueued") != 1 || strings.Count(all, "skipped (already ran for this period)") != 1 {
		t.Errorf("want one digest enqueued and one run skipped:\n%s", all)
	}
	// This Redis keeps nothing on disk: every process must say so.
	if strings.Count(all, "Redis persistence is off") != 2 {
		t.Errorf("start-up warning about persistence missing:\n%s", all)
	}
	// run-job has no Slack adapter, so the digest waits in the outbox for
	// a serving replica's drain (every 30 s), unless one already sent it.
	msgs, err := rdb.XRange(ctx, "pb:{town}:outbox", "-", "+").Result()
	slack.mu.Lock()
	posted := slack.calls["chat.postMessage"]
	slack.mu.Unlock()
	if err != nil || !(len(msgs) == 1 || (len(msgs) == 0 && posted == 1)) {
		t.Errorf("outbox holds %d notices and %d were posted, want the one digest (%v)", len(msgs), posted, err)
	}
	t.Logf("audit %v; digest runs:\n%s", actions, all)
}
