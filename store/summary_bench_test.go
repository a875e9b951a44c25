package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/pledgebot/pledgebot/config"
	"github.com/redis/go-redis/v9"
)

// BenchmarkSummary runs /summary over networks of 1,000, 10,000 and 100,000
// pledges, bulk-loaded through the real write scripts (so the counters are
// the ones production keeps) under a private key prefix deleted afterwards.
// A calendar period reads monthly sums, so every size should cost about
// the same; a rolling one also reads the pledges written in its edge
// months, or in a large community the sums of its edge months' days:
//
//	go test ./store -run '^$' -bench BenchmarkSummary -benchtime 200x
func BenchmarkSummary(b *testing.B) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		b.Skipf("no Redis at %s: %v", url, err)
	}
	// Both networks are loaded before either is measured, so both run
	// against the same Redis (same memory, same rehashing state).
	type network struct {
		n    int
		bot  *bot.Bot
		from bot.Identity
	}
	var nets []network
	for _, n := range []int{1_000, 10_000, 100_000} {
		raw := make([]byte, 6)
		rand.Read(raw)
		prefix := "pbbench-" + hex.EncodeToString(raw)
		defer deletePrefix(rdb, prefix)
		st := New(rdb, prefix)
		if err := st.LoadScripts(context.Background()); err != nil {
			b.Fatal(err)
		}
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		st.SetClock(func() time.Time { return now })
		admin := bot.Identity{Platform: bot.Console, Workspace: "local", User: "admin"}
		cfg := &config.Config{Themes: config.DefaultThemes}
		bt := bot.New(bot.Options{Store: st, Tenancy: cfg.Tenancy(&admin), Themes: cfg.Themes, Now: func() time.Time { return now },
			Logger: slog.New(slog.DiscardHandler)})
		bt.Register(commands.All(bt, nil)...)
		start := time.Now()
		if err := bulkLoad(st, bt.Tenancy().Community(bot.Console, "local"), n, now); err != nil {
			b.Fatal(err)
		}
		b.Logf("loaded %d pledges in %v", n, time.Since(start).Round(time.Millisecond))
		// A large community fills its area sums at its first area summary
		// (FillAreaSums) and its day sums at its first rolling period
		// (FillDaySums), once: done here so no timed run pays for it.
		if n >= AreaSumsFrom {
			c := bt.Tenancy().Community(bot.Console, "local")
			if err := st.FillAreaSums(context.Background(), c); err != nil {
				b.Fatal(err)
			}
			if err := st.FillDaySums(context.Background(), c); err != nil {
				b.Fatal(err)
			}
		}
		// (a summary that lost the rate pledges would be fast and wrong)
		c := bt.Tenancy().Community(bot.Console, "local")
		q4 := bot.SummaryFilter{Period: bot.Period{Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}}
		if cur, _, err := st.Summary(context.Background(), c, q4, now); err != nil {
			b.Fatal(err)
		} else if th := cur.Themes["fair-pay"]; th == nil || th.Rate.Reporting == 0 || th.Rate.Median == 0 {
			b.Fatalf("%d pledges: no fair-pay figures in 2026-Q4", n)
		}
		nets = append(nets, network{n, bt, admin})
	}
	for _, line := range []string{"summary period:2026-Q4", "summary period:2026-Q4 theme:volunteering", "summary period:last-30d", "summary period:2026 area:CB1"} {
		name, text, _ := cut(line)
		for _, nw := range nets {
			b.Run(fmt.Sprintf("%s/pledges=%d", text, nw.n), func(b *testing.B) {
				req := bot.Request{From: nw.from, Command: name, Text: text}
				for b.Loop() {
					if r := nw.bot.Handle(context.Background(), req); r.Err != nil {
						b.Fatal(r.Err.Message)
					}
				}
			})
		}
	}
}

func cut(line string) (string, string, bool) {
	for i := range line {
		if line[i] == ' ' {
			return line[:i], line[i+1:], true
		}
	}
	return line, "", false
}

// bulkLoad adds n pledges from n/20 businesses in 10 postcode districts,
// spread over the two years before now, through pipelined script calls;
// a third get progress and a tenth are done. Themes take turns, so 2 of
// the 12 default themes' pledges are rate pledges (fair-pay,
// prompt-payment), as in BenchmarkStorageCost's realistic data (16,667
// at 100,000 pledges): up to 88c2b60 a summary read their values pledge
// by pledge (the median), and a load without them flattered it by 100
// times. Each reports a share (60-99 %) against a target of 70-99 %.
func bulkLoad(s *Store, c string, n int, now time.Time) error {
	ctx := context.Background()
	keys := s.base(c)
	admin := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "loader"}, Admin: true}
	businesses := max(n/20, 1)
	for i := range businesses {
		name := fmt.Sprintf("Business %d", i)
		pc := fmt.Sprintf("CB%d %dAB", i%10, i%9+1)
		call := registerBusinessCall{Actor: admin, Business: bot.Business{Name: name, Sector: "retail", Postcode: pc, CreatedAt: now}}
		if err := registerBusiness.Run(ctx, s.rdb, keys, call.argv()...).Err(); err != nil {
			return err
		}
	}
	themes := config.DefaultThemes
	span := int64(2 * 365 * 24 * 3600)
	const batch = 500
	for lo := 1; lo <= n; lo += batch {
		p := s.rdb.Pipeline()
		for i := lo; i < lo+batch && i <= n; i++ {
			at := now.Unix() - span + span*int64(i)/int64(n)
			t := themes[i%len(themes)]
			target, amount := float64(i%50+1), 1.0
			if t.IsRate() {
				target, amount = float64(70+i%30), float64(60+i%40)
			}
			call := addPledgeCall{Actor: admin, Now: time.Unix(at, 0), Pledge: bot.NewPledge{Business: i%businesses + 1,
				Text: fmt.Sprintf("Pledge %d", i), Theme: t.Key, Target: target, Unit: t.Unit, Measure: t.Measure, Visibility: "public"}}
			addPledge.EvalSha(ctx, p, keys, call.argv()...)
			if i%3 == 0 || t.IsRate() {
				ev := fmt.Sprintf(`{"kind":"progress","amount":%g,"at":%q}`, amount, time.Unix(at, 0).UTC().Format(time.RFC3339))
				progress := progressCall{Actor: admin, Pledge: i, Amount: amount, Event: eventJSON{json: ev, at: at}}
				progressPledge.EvalSha(ctx, p, keys, progress.argv()...)
			}
			if i%10 == 0 {
				done := transitionCall{Actor: admin, Pledge: i, To: bot.StatusDone, Event: eventJSON{json: `{"kind":"done"}`, at: at}}
				transition.EvalSha(ctx, p, keys, done.argv()...)
			}
		}
		if _, err := p.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func deletePrefix(rdb *redis.Client, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			rdb.Del(ctx, batch...)
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		rdb.Del(ctx, batch...)
	}
}
