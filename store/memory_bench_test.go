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

// realisticPledges are the kinds of text businesses write, 20 to 90
// characters long.
var realisticPledges = []struct{ text, theme, unit string }{
	{"Hire two local apprentices", "apprenticeships", "apprentices"},
	{"Give 40 hours of staff time to the food bank", "volunteering", "hours"},
	{"Buy £20k a year from suppliers within 20 miles", "buy-local", "£ local spend"},
	{"Pay every member of staff the real Living Wage by April", "fair-pay", "% staff on the real Living Wage"},
	{"Cut our delivery fleet's emissions by switching three vans to electric", "carbon", "tonnes CO2e"},
	{"Offer four work experience placements to pupils at Parkside School", "schools", "placement weeks"},
	{"Pay 95% of supplier invoices within 30 days", "prompt-payment", "% invoices paid within 30 days"},
	{"Sponsor the under-12s football team", "sponsorship", "£"},
	{"Divert 5 tonnes of packaging waste from landfill", "waste", "tonnes"},
	{"Mentor two community groups on bookkeeping and grant applications", "expert-help", "hours"},
	{"Recruit one person from the local jobcentre's long-term unemployed list", "inclusive-hiring", "FTE"},
	{"Fill every new role with people living within the district", "local-hiring", "FTE-years"},
}

// BenchmarkMemoryPerPledge loads realistic pledges and reports Redis memory
// per pledge, indexes and audit trail included, from INFO memory. Run it
// alone against a Redis of its own: PLEDGEBOT_BENCH_PLEDGES sets the count
// (default 100,000).
func BenchmarkMemoryPerPledge(b *testing.B) {
	ctx := context.Background()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opts, _ := redis.ParseURL(url)
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("PLEDGEBOT_BENCH_PLEDGES")); err == nil && v > 0 {
		n = v
	}
	prefix := fmt.Sprintf("pbbench-%d", time.Now().UnixNano())
	defer deletePrefix(rdb, prefix)
	s := New(rdb, prefix)
	s.LoadScripts(ctx)
	const businesses = 500
	actors := make([]bot.Actor, businesses)
	for i := range actors {
		actors[i] = bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T012AB3C4", User: fmt.Sprintf("U0%08d", i)}}
		if _, err := s.RegisterBusiness(ctx, "town", actors[i], bot.Business{Name: fmt.Sprintf("Business %d Ltd", i), Sector: "retail", Postcode: "CB1"}, ""); err != nil {
			b.Fatal(err)
		}
	}
	before := usedMemory(b, rdb)
	b.ResetTimer()
	for start := 0; start < n; start += 1000 {
		pipe := rdb.Pipeline()
		for i := start; i < min(n, start+1000); i++ {
			p := realisticPledges[i%len(realisticPledges)]
			np := bot.NewPledge{Text: p.text, Theme: p.theme, Target: 10, Unit: p.unit, Visibility: "public"}
			if i%3 == 0 {
				np.Due = time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)
			}
			if i%10 == 0 {
				np.Visibility = "private"
			}
			call := addPledgeCall{Actor: actors[i%businesses], Pledge: np, Now: time.Now()}
			addPledge.EvalSha(ctx, pipe, s.base("town"), call.argv()...)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(usedMemory(b, rdb)-before)/float64(n), "bytes/pledge")
	b.ReportMetric(float64(rdb.LLen(ctx, s.key("town", "audit")).Val()-businesses), "audit-entries")
}

func usedMemory(b *testing.B, rdb *redis.Client) int64 {
	info, err := rdb.Info(context.Background(), "memory").Result()
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	b.Fatal("no used_memory in INFO")
	return 0
}
