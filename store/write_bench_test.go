package store

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// BenchmarkWriteScripts measures the pledge write scripts as Redis sees
// them: besides ns/op (the whole round trip from Go) it reports
// redis-us/op, the server's own time per EVALSHA from INFO commandstats.
// That figure is only meaningful on a Redis nobody else is using at the
// time (REDIS_URL pointing at a private redis-server), which is how
// `make bench` runs it.
//
// "1scope" is a business without a postcode (counters for the whole
// network only); "3scopes" has postcode "CB1 2AB" (the network, district
// CB1 and area CB), the costliest case.
func BenchmarkWriteScripts(b *testing.B) {
	ctx := context.Background()
	opts, err := redis.ParseURL(redisURL())
	if err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	prefix := fmt.Sprintf("pbbench-%d", time.Now().UnixNano())
	defer deletePrefix(rdb, prefix)
	s := New(rdb, prefix)
	if err := s.LoadScripts(ctx); err != nil {
		b.Fatal(err)
	}
	for _, sc := range []struct{ name, postcode string }{{"1scope", ""}, {"3scopes", "CB1 2AB"}} {
		a := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T012AB3C4", User: "U0" + sc.name}}
		biz, err := s.RegisterBusiness(ctx, "town", a, bot.Business{Name: "Bench " + sc.name, Postcode: sc.postcode, CreatedAt: time.Now()}, "")
		if err != nil {
			b.Fatal(err)
		}
		p := bot.NewPledge{Business: biz.Number, Text: "Hire two local apprentices", Theme: "apprenticeships", Target: 2,
			Unit: "apprentices", Due: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), Visibility: bot.Public}
		var last bot.Pledge
		b.Run("add/"+sc.name, func(b *testing.B) {
			before := evalshaStats(b, rdb)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if last, err = s.AddPledge(ctx, "town", a, p, "bench-add-"+sc.name+strconv.Itoa(i)+strconv.Itoa(b.N)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportScriptTime(b, rdb, before)
		})
		b.Run("progress/"+sc.name, func(b *testing.B) {
			before := evalshaStats(b, rdb)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.LogProgress(ctx, "town", a, last.Number, 0.5, "an afternoon", "bench-progress-"+sc.name+strconv.Itoa(i)+strconv.Itoa(b.N)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportScriptTime(b, rdb, before)
		})
	}
}

func redisURL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// evalshaStats returns EVALSHA's calls and total microseconds so far.
func evalshaStats(b *testing.B, rdb *redis.Client) [2]int64 {
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	var out [2]int64
	for _, line := range strings.Split(info, "\r\n") {
		rest, ok := strings.CutPrefix(line, "cmdstat_evalsha:")
		if !ok {
			continue
		}
		for _, kv := range strings.Split(rest, ",") {
			k, v, _ := strings.Cut(kv, "=")
			n, _ := strconv.ParseInt(v, 10, 64)
			switch k {
			case "calls":
				out[0] = n
			case "usec":
				out[1] = n
			}
		}
	}
	return out
}

func reportScriptTime(b *testing.B, rdb *redis.Client, before [2]int64) {
	after := evalshaStats(b, rdb)
	if calls := after[0] - before[0]; calls > 0 {
		b.ReportMetric(float64(after[1]-before[1])/float64(calls), "redis-us/op")
	}
}
