package schedules

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
	"github.com/redis/go-redis/v9"
)

// Benchmarks bulk-load their data with pipelines under a private prefix,
// deleted afterwards. They are not part of the default test run:
//
//	go test ./schedules -run '^$' -bench . -benchtime 5x

type nopSender struct{ n int }

func (s *nopSender) Send(context.Context, bot.Notice) error { s.n++; return nil }

func benchScheduler(b *testing.B) (*Scheduler, *store.Store, redis.UniversalClient, string, *nopSender) {
	rdb := pledgetest.Client(b)
	prefix := pledgetest.Prefix(b, rdb)
	st := store.New(rdb, prefix)
	bt := bot.New(bot.Options{Store: st, Themes: config.DefaultThemes, Logger: slog.New(slog.DiscardHandler)})
	snd := &nopSender{}
	bt.AddSender(bot.Console, snd)
	s, err := New(Options{Store: st, Bot: bt, Log: slog.New(slog.DiscardHandler), Consumer: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return s, st, rdb, prefix, snd
}

// zs collects sorted-set members so a batch adds them in one ZADD per key.
type zs map[string][]redis.Z

func (z zs) add(key string, score float64, member any) {
	z[key] = append(z[key], redis.Z{Score: score, Member: member})
}

// addActivity writes a ledger entry in the long form the store still reads
// (store/keys.go, parse_entry in lua/figures.lua): appended to its month's
// list, the month indexed.
func addActivity(p redis.Pipeliner, z zs, base string, t time.Time, entry string) {
	t = t.UTC()
	mo := t.Format("2006-01")
	p.RPush(context.Background(), base+"ledger:"+mo, fmt.Sprintf("%d|%s||", t.Unix(), entry))
	z.add(base+"months", float64(t.Year()*100+int(t.Month())), mo)
}

// load sends commands in pipelines of batch items.
func load(b *testing.B, rdb redis.UniversalClient, n int, add func(p redis.Pipeliner, z zs, i int)) {
	ctx := context.Background()
	const batch = 5000
	for i := 0; i < n; {
		_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			z := zs{}
			for j := 0; j < batch && i < n; j, i = j+1, i+1 {
				add(p, z, i)
			}
			for k, members := range z {
				p.ZAdd(ctx, k, members...)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// A weekday sweep over 100,000 active pledges of which 1,000 are due
// tomorrow, each of another business's owner: it reads only those (range
// on the due index), decides, enqueues and sends one message a person.
func BenchmarkNudgeSweep(b *testing.B) {
	const total, due = 100_000, 1_000
	s, _, rdb, prefix, snd := benchScheduler(b)
	ctx := context.Background()
	c := "bench"
	base := prefix + ":{" + c + "}:"
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC) // a Tuesday, London = UTC
	tomorrow := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	far := time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC)
	load(b, rdb, total, func(p redis.Pipeliner, z zs, i int) {
		n := i + 1
		d := far.AddDate(0, 0, i%200)
		if i < due {
			d = tomorrow
		}
		// (the stored field names: pledge_short in store/lua/prelude.lua; packed)
		store.WritePackedPledge(ctx, p, base, n, map[string]string{"b": strconv.Itoa(n%2000 + 1), "x": "Hire a local apprentice",
			"t": "apprenticeships", "g": "2", "u": "apprentices", "d": d.Format(time.DateOnly),
			"v": "public", "s": "active", "p": "1",
			"w": fmt.Sprintf("console:local:owner%d", n%2000), "c": strconv.FormatInt(at.Add(-48*time.Hour).Unix(), 10),
			"a": strconv.FormatInt(at.Add(-24*time.Hour).Unix(), 10)})
		z.add(fmt.Sprintf("%sdue:%d", base, n/128), float64(d.Unix()), n)
		z.add(fmt.Sprintf("%supdated:%d", base, n/128), float64(at.Add(-24*time.Hour).Unix()), n)
		if n <= 2000 { // each pledge's maker still acts for its business (field @WHO: folded_call in store/lua/prelude.lua)
			p.HSet(ctx, fmt.Sprintf("%sbusiness:%d", base, n%2000+1), fmt.Sprintf("@console:local:owner%d", n%2000), "owner")
		}
	})
	// (the sweep reads the due and updated buckets up to seq:pledge)
	rdb.Set(ctx, base+"seq:pledge", total, 0)
	reset := func() {
		var keys []string
		for _, pattern := range []string{base + "once:*", base + "pledge:*:once"} {
			iter := rdb.Scan(ctx, 0, pattern, 5000).Iterator()
			for iter.Next(ctx) {
				keys = append(keys, iter.Val())
			}
		}
		keys = append(keys, base+"outbox", base+"nudged")
		for len(keys) > 0 {
			k := keys[:min(len(keys), 1000)]
			rdb.Del(ctx, k...)
			keys = keys[len(k):]
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		reset()
		snd.n = 0
		b.StartTimer()
		r, err := s.Run(ctx, JobNudges, c, at)
		if err != nil || r.Enqueued != due || r.Sent != due || snd.n != due {
			b.Fatalf("run %v (%v), sender got %d", r, err, snd.n)
		}
	}
}

// The digest for a week with 1,000 events, over a history of 100,000 and
// of 1,000,000 older events and pledges: its cost should follow the week.
func BenchmarkDigest(b *testing.B) {
	for _, history := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("history=%d", history), func(b *testing.B) {
			s, _, rdb, prefix, _ := benchScheduler(b)
			ctx := context.Background()
			c := "bench"
			base := prefix + ":{" + c + "}:"
			at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // Monday 09:00 London
			old := at.AddDate(-2, 0, 0)
			span := at.AddDate(0, 0, -15).Sub(old)
			const week = 1000
			// History: older activity, and every pledge in the indexes.
			load(b, rdb, history, func(p redis.Pipeliner, z zs, i int) {
				n := week + i + 1
				t := old.Add(time.Duration(int64(span) / int64(history) * int64(i)))
				addActivity(p, z, base, t, fmt.Sprintf("p|%d|%d|volunteering|2", n, n%5000+1))
				z.add(base+"pledges", float64(n), n)
				z.add(fmt.Sprintf("%sdue:%d", base, n/128), float64(at.AddDate(1, 0, i%300).Unix()), n)
				z.add(fmt.Sprintf("%supdated:%d", base, n/128), float64(t.Unix()), n)
				if i%20 == 0 {
					z.add(fmt.Sprintf("%sbusiness-seen:%d", base, (i/20+1)/128), float64(at.Add(-time.Hour).Unix()), i/20+1)
				}
			})
			// The week: 1,000 events on 500 pledges of 100 businesses.
			kinds := []string{"created", "progress", "progress", "done"}
			load(b, rdb, week, func(p redis.Pipeliner, z zs, i int) {
				n := i%500 + 1
				t := at.Add(-time.Duration(i+1) * 8 * time.Minute) // within the seven days Preview reports
				addActivity(p, z, base, t, fmt.Sprintf("%s|%d|%d|apprenticeships|1", kinds[i%4][:1], n, n%100+1))
				if i < 500 {
					store.WritePackedPledge(ctx, p, base, n, map[string]string{"b": strconv.Itoa(n%100 + 1), "x": "Hire a local apprentice",
						"t": "apprenticeships", "g": "2", "u": "apprentices", "v": "public", "s": "active", "p": "1"})
				}
				if i < 100 {
					p.HSet(ctx, fmt.Sprintf("%sbusiness:%d", base, i+1), "name", fmt.Sprintf("Business %d", i+1))
				}
			})
			// (the digest reads the due and business-seen buckets up to these)
			rdb.Set(ctx, base+"seq:pledge", week+history, 0)
			rdb.Set(ctx, base+"seq:business", history/20+1, 0)
			b.ResetTimer()
			for b.Loop() {
				r, err := s.Preview(ctx, c, at)
				if err != nil || fieldValue(r.Fields, "New pledges") != "250 (week before: 0)" {
					b.Fatalf("%v %v", err, r.Fields)
				}
			}
		})
	}
}
