package store

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// BenchmarkStorageCost measures where Redis memory and keys go per pledge
// (issue 15, "bounded storage") in the two shapes the issue sets:
//
//	A: one community of 100,000 pledges
//	B: 1,000 communities of 100 pledges each
//
// Both load realistic data through the store's public API under a fresh
// key prefix: businesses with postcodes in several districts (one per five
// pledges), pledges with the texts of realisticPledges, 2-3 progress logs
// each, some completed or withdrawn, every write with a unique request id
// as Slack (trigger ids) or Discord (interaction snowflakes) send them,
// and the store's clock spread over a whole year (2026) so the per-day and
// ledger months, monthly sums and history are those a year of use leaves.
//
// It reports bytes/pledge (INFO used_memory after the load minus before,
// so dictionary, expiry and allocator overhead count) and keys/pledge,
// then the same without the idempotency keys (deleted, as their 24h TTL
// would in steady state: -noidem), and the summed MEMORY USAGE. It prints
// the breakdown per key family (community, numbers, dates and themes
// replaced by *), sorted by bytes and by count, to standard output (the
// testing package trims a benchmark's b.Log output to ten lines); b.Logf
// gives the headline figures.
//
// Run it alone, against a Redis of its own on default settings, once:
//
//	redis-server --port 6390 --save "" --appendonly no --daemonize yes
//	REDIS_URL=redis://127.0.0.1:6390/0 go test ./store -run '^$' \
//	    -bench BenchmarkStorageCost -benchtime 1x -timeout 60m
//	redis-cli -p 6390 shutdown nosave
//
// PLEDGEBOT_BENCH_SCALE (default 1) scales both shapes (0.1: 10,000
// pledges; 100 communities); PLEDGEBOT_BENCH_WORKERS (default 8) sets how
// many writes are in flight; PLEDGEBOT_BENCH_PREFIX replaces the fresh
// 4-character prefix (production uses "pb").
func BenchmarkStorageCost(b *testing.B) {
	scale := 1.0
	if v, err := strconv.ParseFloat(os.Getenv("PLEDGEBOT_BENCH_SCALE"), 64); err == nil && v > 0 {
		scale = v
	}
	shapes := []costShape{
		{name: "A-one-community", communities: 1, pledges: max(int(100_000*scale), 10)},
		{name: "B-many-communities", communities: max(int(1000*scale), 1), pledges: 100},
	}
	for _, sh := range shapes {
		b.Run(sh.name, func(b *testing.B) {
			b.Logf("shape %s: %d communities x %d pledges, one business per %d pledges",
				sh.name, sh.communities, sh.pledges, pledgesPerBusiness)
			runStorageCost(b, sh)
		})
	}
}

type costShape struct {
	name        string
	communities int
	pledges     int // per community
}

const pledgesPerBusiness = 5

func runStorageCost(b *testing.B, sh costShape) {
	ctx := context.Background()
	opts, err := redis.ParseURL(redisURL())
	if err != nil {
		b.Fatal(err)
	}
	workers := 8
	if v, err := strconv.Atoi(os.Getenv("PLEDGEBOT_BENCH_WORKERS")); err == nil && v > 0 {
		workers = v
	}
	opts.PoolSize = workers + 4
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		b.Skipf("no Redis at %s: %v", redisURL(), err)
	}
	prefix := freshPrefix(b, rdb)
	keep := os.Getenv("PLEDGEBOT_BENCH_KEEP") != ""
	if !keep {
		defer deletePrefix(rdb, prefix)
	}
	b.Logf("key prefix %q on %s", prefix, redisURL())

	rng := rand.New(rand.NewPCG(15, uint64(sh.communities)))
	comms := costCommunities(rng, sh)
	evs := costEvents(rng, comms)

	// One store per worker, each with its own clock: the store's time
	// source dates every write (created_at, history, buckets).
	stores := make([]*Store, workers)
	clocks := make([]time.Time, workers)
	for i := range stores {
		stores[i] = New(rdb, prefix)
		stores[i].SetClock(func() time.Time { return clocks[i] })
	}
	if err := stores[0].LoadScripts(ctx); err != nil {
		b.Fatal(err)
	}
	keysBefore := rdb.DBSize(ctx).Val()
	memBefore := usedMemory(b, rdb)
	nPledges := sh.communities * sh.pledges

	start := time.Now()
	b.ResetTimer()
	counts := replayCostEvents(b, stores, clocks, comms, evs)
	// A community past AreaSumsFrom pledges keeps area sums from its first
	// area summary on: count them as kept.
	for _, c := range comms {
		if sh.pledges >= AreaSumsFrom {
			if err := stores[0].FillAreaSums(ctx, c.id); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	b.Logf("loaded in %v: %d businesses, %d pledges, %d progress logs, %d done, %d withdrawn (%d writes)",
		time.Since(start).Round(time.Second), counts["business"], counts["add"], counts["progress"], counts["done"],
		counts["withdraw"], counts["business"]+counts["add"]+counts["progress"]+counts["done"]+counts["withdraw"])

	memAfter := usedMemory(b, rdb)
	keysAfter := rdb.DBSize(ctx).Val()
	fams, scanned := keyFamilies(b, rdb, prefix)
	perPledge := func(x int64) float64 { return float64(x) / float64(nPledges) }
	b.ReportMetric(perPledge(memAfter-memBefore), "bytes/pledge")
	b.ReportMetric(perPledge(keysAfter-keysBefore), "keys/pledge")
	var usage, idemKeys, idemBytes int64
	for f, st := range fams {
		usage += st.bytes
		if strings.HasPrefix(f, "idem:") {
			idemKeys += st.keys
			idemBytes += st.bytes
		}
	}
	b.ReportMetric(perPledge(usage), "memusage-bytes/pledge")
	logFamilies(b, fams, nPledges, scanned, usage)
	b.Logf("used_memory %d -> %d (+%d, %.0f B/pledge); keys %d -> %d (+%d, %.2f/pledge); MEMORY USAGE sum %d (%.0f B/pledge); idem keys %d (%.2f/pledge, %.0f B/pledge by MEMORY USAGE)",
		memBefore, memAfter, memAfter-memBefore, perPledge(memAfter-memBefore), keysBefore, keysAfter,
		keysAfter-keysBefore, perPledge(keysAfter-keysBefore), usage, perPledge(usage), idemKeys, perPledge(idemKeys), perPledge(idemBytes))

	// Steady state: request records live 24-48 hours (and the load dates
	// them all today by the server's clock), so a year's worth of them is
	// never there at once. Delete them and measure again.
	if keep {
		b.Logf("PLEDGEBOT_BENCH_KEEP: data kept under prefix %q", prefix)
		return
	}
	deleteMatching(b, rdb, prefix+":{*}:idem:*")
	memNoIdem := usedMemory(b, rdb)
	keysNoIdem := rdb.DBSize(ctx).Val()
	b.ReportMetric(perPledge(memNoIdem-memBefore), "bytes/pledge-noidem")
	b.ReportMetric(perPledge(keysNoIdem-keysBefore), "keys/pledge-noidem")
	b.Logf("without idem keys: used_memory +%d (%.0f B/pledge), keys +%d (%.2f/pledge)",
		memNoIdem-memBefore, perPledge(memNoIdem-memBefore), keysNoIdem-keysBefore, perPledge(keysNoIdem-keysBefore))

	deletePrefix(rdb, prefix)
	b.Logf("after deleting the data: used_memory %d (%+d against before)", usedMemory(b, rdb), usedMemory(b, rdb)-memBefore)
}

// freshPrefix picks a short key prefix (production's is "pb") no key uses.
func freshPrefix(b *testing.B, rdb *redis.Client) string {
	if p := os.Getenv("PLEDGEBOT_BENCH_PREFIX"); p != "" {
		if n := countMatching(b, rdb, p+":*"); n > 0 {
			b.Fatalf("prefix %q already has %d keys", p, n)
		}
		return p
	}
	for range 100 {
		p := fmt.Sprintf("b%03x", rand.IntN(0x1000))
		if countMatching(b, rdb, p+":*") == 0 {
			return p
		}
	}
	b.Fatal("no free prefix")
	return ""
}

func countMatching(b *testing.B, rdb *redis.Client, pattern string) int {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, pattern, 1000).Iterator()
	n := 0
	for iter.Next(ctx) {
		n++
	}
	if err := iter.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

func deleteMatching(b *testing.B, rdb *redis.Client, pattern string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, pattern, 1000).Iterator()
	var batch []string
	flush := func() {
		if len(batch) > 0 {
			if err := rdb.Unlink(ctx, batch...).Err(); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	for iter.Next(ctx) {
		if batch = append(batch, iter.Val()); len(batch) == 1000 {
			flush()
		}
	}
	flush()
	if err := iter.Err(); err != nil {
		b.Fatal(err)
	}
}

// costCommunity is one community's businesses and pledges to load.
type costCommunity struct {
	id       string
	platform bot.Platform
	team     string // Slack team id or Discord guild id
	owners   []bot.Actor
	postcode []string // per business
	numbers  []int    // pledge index -> pledge number once made
	business []int    // business index -> business number
}

var (
	costAreas   = []string{"CB", "PE", "NR", "IP", "CO", "SG", "LU", "MK", "OX", "RG", "SN", "GL"}
	costSectors = []string{"retail", "hospitality", "construction", "professional services", "manufacturing", "health and care", "education", "logistics"}
	costStreets = []string{"Mill Road", "Market Square", "Station Road", "High Street", "Church Lane", "Bridge Street", "Kings Parade", "Hills Road", "Regent Street", "Victoria Avenue"}
	costTrades  = []string{"Bakery", "Joinery", "Dental Practice", "Print Works", "Cycles", "Accountants", "Café", "Garage", "Florist", "Builders", "Opticians", "Brewery"}
	costNotes   = []string{"", "", "", "an afternoon", "March invoices paid", "two staff at the food bank", "first apprentice started", "quarterly figures from the finance team", "delivered to the school"}
)

// costPledge is how a realisticPledges entry is pledged: its target in the
// person's unit, the factor to the theme's unit, and whether the theme is
// a rate (progress is the latest value reported).
var costPledge = map[string]struct {
	target, factor float64
	rate           bool
}{
	"apprenticeships": {2, 52, false}, "volunteering": {40, 1, false}, "buy-local": {20000, 1, false},
	"fair-pay": {100, 1, true}, "carbon": {12, 1, false}, "schools": {4, 1, false},
	"prompt-payment": {95, 1, true}, "sponsorship": {1500, 1, false}, "waste": {5, 1, false},
	"expert-help": {30, 1, false}, "inclusive-hiring": {1, 1, false}, "local-hiring": {5, 1, false},
}

func costCommunities(rng *rand.Rand, sh costShape) []*costCommunity {
	out := make([]*costCommunity, sh.communities)
	for i := range out {
		c := &costCommunity{numbers: make([]int, sh.pledges)}
		if i%2 == 0 {
			c.platform, c.team = bot.Slack, fmt.Sprintf("T0%s", upperID(rng, 9))
		} else {
			c.platform, c.team = bot.Discord, snowflake(rng, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(5*365*24*time.Hour)))))
		}
		c.id = string(c.platform) + "-" + c.team // as bot.Tenancy names unconfigured workspaces
		area := costAreas[i%len(costAreas)]
		nb := max(sh.pledges/pledgesPerBusiness, 1)
		c.business = make([]int, nb)
		for j := 0; j < nb; j++ {
			var user string
			if c.platform == bot.Slack {
				user = "U0" + upperID(rng, 9)
			} else {
				user = snowflake(rng, time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(8*365*24*time.Hour)))))
			}
			c.owners = append(c.owners, bot.Actor{ID: bot.Identity{Platform: c.platform, Workspace: c.team, User: user}})
			district := 1 + rng.IntN(8)
			if sh.communities == 1 && j%7 == 0 {
				district += 20 // the villages: CB21..CB28
			}
			c.postcode = append(c.postcode, fmt.Sprintf("%s%d %d%c%c", area, district, 1+rng.IntN(9), 'A'+rng.IntN(26), 'A'+rng.IntN(26)))
		}
		out[i] = c
	}
	return out
}

const costAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func upperID(rng *rand.Rand, n int) string {
	out := make([]byte, n)
	for i := range out {
		out[i] = costAlnum[rng.IntN(len(costAlnum))]
	}
	return string(out)
}

// snowflake is a Discord id made at time t.
func snowflake(rng *rand.Rand, t time.Time) string {
	return strconv.FormatUint(uint64(t.UnixMilli()-1420070400000)<<22|rng.Uint64N(1<<22), 10)
}

// requestID is what the platform would send as the request's id at t:
// a Slack trigger id or a Discord interaction snowflake.
func requestID(rng *rand.Rand, p bot.Platform, t time.Time) string {
	if p == bot.Discord {
		return snowflake(rng, t)
	}
	return fmt.Sprintf("%d.%013d.%016x%016x", t.UnixMilli(), rng.Int64N(1e13), rng.Uint64(), rng.Uint64())
}

// costEvent is one write: kind business|add|progress|done|withdraw.
type costEvent struct {
	at     time.Time
	kind   string
	comm   int
	index  int // business index (business) or pledge index
	amount float64
	req    string
}

var costYear = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const costDay = 24 * time.Hour

// workTime is a time on day d of the year (0-364) in office hours.
func workTime(rng *rand.Rand, d int) time.Time {
	return costYear.Add(time.Duration(d)*costDay + 8*time.Hour + time.Duration(rng.Int64N(int64(10*time.Hour))))
}

// costEvents plans a year: businesses register in the first weeks, pledges
// are made on any day of the year, progress is logged 2-3 times on later
// days, then about 15% are completed and 5% withdrawn.
func costEvents(rng *rand.Rand, comms []*costCommunity) []costEvent {
	var evs []costEvent
	for ci, c := range comms {
		for j := range c.owners {
			at := workTime(rng, rng.IntN(28))
			evs = append(evs, costEvent{at: at, kind: "business", comm: ci, index: j, req: requestID(rng, c.platform, at)})
		}
		for i := range c.numbers {
			made := rng.IntN(365)
			at := workTime(rng, made)
			// Before any write of its business: a pledge made in the first
			// weeks waits for its business.
			if made < 28 {
				at = workTime(rng, 28+rng.IntN(337))
				made = int(at.Sub(costYear) / costDay)
			}
			evs = append(evs, costEvent{at: at, kind: "add", comm: ci, index: i, req: requestID(rng, c.platform, at)})
			spec := costPledge[realisticPledges[i%len(realisticPledges)].theme]
			last := made
			logs := 2 + rng.IntN(2)
			var days []int
			for range logs {
				if made+1 < 365 {
					days = append(days, made+1+rng.IntN(365-made-1))
				}
			}
			sort.Ints(days)
			for k, d := range days {
				// What people type: whole numbers, or halves of small ones.
				amount := math.Round(spec.target * (0.2 + 0.3*rng.Float64()))
				if spec.target < 10 {
					amount = math.Round(spec.target*(0.2+0.3*rng.Float64())*2) / 2
				}
				if spec.rate {
					amount = float64(int(spec.target * (0.7 + 0.1*float64(k))))
				}
				at := workTime(rng, d)
				evs = append(evs, costEvent{at: at, kind: "progress", comm: ci, index: i, amount: amount, req: requestID(rng, c.platform, at)})
				last = d
			}
			if last+1 < 365 {
				switch r := rng.IntN(100); {
				case r < 15:
					at := workTime(rng, last+1+rng.IntN(365-last-1))
					evs = append(evs, costEvent{at: at, kind: "done", comm: ci, index: i, req: requestID(rng, c.platform, at)})
				case r < 20:
					at := workTime(rng, last+1+rng.IntN(365-last-1))
					evs = append(evs, costEvent{at: at, kind: "withdraw", comm: ci, index: i, req: requestID(rng, c.platform, at)})
				}
			}
		}
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].at.Before(evs[j].at) })
	return evs
}

// replayCostEvents runs the year day by day: a day's writes go to the
// workers in time order, and the next day starts when they are all done,
// so a pledge exists (and has its number) before its progress is logged.
func replayCostEvents(b *testing.B, stores []*Store, clocks []time.Time, comms []*costCommunity, evs []costEvent) map[string]int {
	ctx := context.Background()
	counts := map[string]int{}
	var mu sync.Mutex
	for lo := 0; lo < len(evs); {
		hi := lo
		day := evs[lo].at.Truncate(costDay)
		for hi < len(evs) && evs[hi].at.Truncate(costDay).Equal(day) {
			hi++
		}
		ch := make(chan int)
		var wg sync.WaitGroup
		var failed error
		for w := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range ch {
					if err := costWrite(ctx, stores[w], &clocks[w], comms, evs[i]); err != nil {
						mu.Lock()
						failed = err
						mu.Unlock()
					}
				}
			}()
		}
		for i := lo; i < hi; i++ {
			ch <- i
			counts[evs[i].kind]++
		}
		close(ch)
		wg.Wait()
		if failed != nil {
			b.Fatal(failed)
		}
		lo = hi
	}
	return counts
}

func costWrite(ctx context.Context, s *Store, clock *time.Time, comms []*costCommunity, ev costEvent) error {
	*clock = ev.at
	c := comms[ev.comm]
	switch ev.kind {
	case "business":
		i := ev.index
		biz, err := s.RegisterBusiness(ctx, c.id, c.owners[i], bot.Business{
			Name:     fmt.Sprintf("%s %s %d", costStreets[i%len(costStreets)], costTrades[(i/len(costStreets))%len(costTrades)], i),
			Sector:   costSectors[i%len(costSectors)],
			Postcode: c.postcode[i], CreatedAt: ev.at}, ev.req)
		c.business[i] = biz.Number
		return err
	case "add":
		rp := realisticPledges[ev.index%len(realisticPledges)]
		spec := costPledge[rp.theme]
		p := bot.NewPledge{Text: rp.text, Theme: rp.theme, Target: spec.target * spec.factor, Unit: rp.unit,
			Factor: spec.factor, Visibility: bot.Public}
		if spec.rate {
			p.Measure = bot.MeasureRate
		}
		if ev.index%3 == 0 {
			p.Due = time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
		}
		if ev.index%10 == 0 {
			p.Visibility = bot.Private
		}
		got, err := s.AddPledge(ctx, c.id, c.owners[ev.index%len(c.owners)], p, ev.req)
		c.numbers[ev.index] = got.Number
		return err
	}
	n := c.numbers[ev.index]
	a := c.owners[ev.index%len(c.owners)]
	var err error
	switch ev.kind {
	case "progress":
		_, err = s.LogProgress(ctx, c.id, a, n, ev.amount, costNotes[(ev.index+int(ev.at.Unix()))%len(costNotes)], ev.req)
	case "done":
		_, err = s.CompletePledge(ctx, c.id, a, n, "all delivered", ev.req)
	case "withdraw":
		_, err = s.WithdrawPledge(ctx, c.id, a, n, ev.req)
	}
	if err != nil {
		return fmt.Errorf("%s pledge #%d in %s: %w", ev.kind, n, c.id, err)
	}
	return nil
}

type familyStat struct{ keys, bytes int64 }

// keyFamilies sums key count and MEMORY USAGE (SAMPLES 0: every element)
// per key family under prefix, and counts the keys.
func keyFamilies(b *testing.B, rdb *redis.Client, prefix string) (map[string]*familyStat, int64) {
	ctx := context.Background()
	fams := map[string]*familyStat{}
	var scanned int64
	iter := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
	var batch []string
	flush := func() {
		if len(batch) == 0 {
			return
		}
		pipe := rdb.Pipeline()
		cmds := make([]*redis.IntCmd, len(batch))
		for i, k := range batch {
			cmds[i] = pipe.MemoryUsage(ctx, k, 0)
		}
		if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
			b.Fatal(err)
		}
		for i, k := range batch {
			f := keyFamily(prefix, k)
			st := fams[f]
			if st == nil {
				st = &familyStat{}
				fams[f] = st
			}
			st.keys++
			st.bytes += cmds[i].Val()
		}
		scanned += int64(len(batch))
		batch = batch[:0]
	}
	for iter.Next(ctx) {
		if batch = append(batch, iter.Val()); len(batch) == 1000 {
			flush()
		}
	}
	flush()
	if err := iter.Err(); err != nil {
		b.Fatal(err)
	}
	return fams, scanned
}

// keyFamily names a key's family: the community and every number, date
// and theme replaced by *, e.g. stats:area:*:d*:*, idem:*:*,
// pledge:*:log.
func keyFamily(prefix, key string) string {
	rest, ok := strings.CutPrefix(key, prefix+":")
	if !ok {
		return key
	}
	if !strings.HasPrefix(rest, "{") {
		if strings.HasPrefix(rest, "communities-of:") {
			return "communities-of:*" // one per person
		}
		return rest // PREFIX:communities
	}
	if i := strings.Index(rest, "}:"); i >= 0 {
		rest = rest[i+2:]
	}
	parts := strings.Split(rest, ":")
	switch parts[0] {
	case "idem": // idem:ACTOR:DAY, one hash a person a day
		return "idem:*:*"
	case "person", "once", "audit", "done":
		if len(parts) > 1 {
			if parts[0] == "done" && len(parts) > 2 {
				return "done:" + parts[1] + ":*"
			}
			return parts[0] + ":*"
		}
	case "sums", "ledger", "bizbits", "bizthemes": // one per month
		return parts[0] + ":*"
	case "stats", "stats-biz", "stats-bizhll":
		out, i := parts[0], 1
		if i < len(parts) && parts[i] == "area" {
			out, i = out+":area:*", i+2
		} else if i < len(parts) {
			out, i = out+":"+parts[i], i+1
		}
		if i < len(parts) {
			out, i = out+":"+bucketFamily(parts[i]), i+1
		}
		if i < len(parts) {
			out += ":*" // the theme
		}
		return out
	}
	for i, p := range parts {
		if _, err := strconv.Atoi(p); err == nil {
			parts[i] = "*"
		}
	}
	return strings.Join(parts, ":")
}

// bucketFamily turns d2026-11-24, m2026-11, q2026-Q4 and y2026 into d*,
// m*, q* and y*.
func bucketFamily(b string) string {
	if len(b) > 1 && strings.ContainsRune("dmqy", rune(b[0])) && b[1] >= '0' && b[1] <= '9' {
		return b[:1] + "*"
	}
	return b
}

func logFamilies(b *testing.B, fams map[string]*familyStat, nPledges int, scanned, usage int64) {
	names := make([]string, 0, len(fams))
	for f := range fams {
		names = append(names, f)
	}
	row := func(f string) string {
		st := fams[f]
		return fmt.Sprintf("%-34s %9d %9.3f %12d %9.1f %8.1f %6.1f%%", f, st.keys, float64(st.keys)/float64(nPledges),
			st.bytes, float64(st.bytes)/float64(nPledges), float64(st.bytes)/float64(st.keys), 100*float64(st.bytes)/float64(usage))
	}
	head := fmt.Sprintf("%-34s %9s %9s %12s %9s %8s %7s", "family", "keys", "keys/pl", "bytes", "B/pledge", "B/key", "share")
	sort.Slice(names, func(i, j int) bool { return fams[names[i]].bytes > fams[names[j]].bytes })
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %d keys, %d pledges; MEMORY USAGE (SAMPLES 0) by key family, by bytes:\n%s\n", b.Name(), scanned, nPledges, head)
	for _, f := range names {
		sb.WriteString(row(f) + "\n")
	}
	sort.SliceStable(names, func(i, j int) bool { return fams[names[i]].keys > fams[names[j]].keys })
	fmt.Fprintf(&sb, "by count (top 15):\n%s\n", head)
	for _, f := range names[:min(15, len(names))] {
		sb.WriteString(row(f) + "\n")
	}
	classes := map[string]*familyStat{}
	for f, st := range fams {
		c := familyClass(f)
		if classes[c] == nil {
			classes[c] = &familyStat{}
		}
		classes[c].keys += st.keys
		classes[c].bytes += st.bytes
	}
	cnames := make([]string, 0, len(classes))
	for c := range classes {
		cnames = append(cnames, c)
	}
	sort.Slice(cnames, func(i, j int) bool { return classes[cnames[i]].bytes > classes[cnames[j]].bytes })
	fmt.Fprintf(&sb, "by class:\n%s\n", head)
	for _, c := range cnames {
		st := classes[c]
		fmt.Fprintf(&sb, "%-34s %9d %9.3f %12d %9.1f %8.1f %6.1f%%\n", c, st.keys, float64(st.keys)/float64(nPledges),
			st.bytes, float64(st.bytes)/float64(nPledges), float64(st.bytes)/float64(st.keys), 100*float64(st.bytes)/float64(usage))
	}
	// The testing package keeps only the first ten lines a benchmark logs,
	// so the table goes to standard output.
	fmt.Print(sb.String())
	b.Logf("breakdown by key family printed above (%d families)", len(fams))
}

// familyClass groups families for the summary: what a budget would cut.
func familyClass(f string) string {
	switch {
	case strings.HasPrefix(f, "idem:"):
		return "[idempotency keys]"
	case strings.HasPrefix(f, "stats-bizhll:"):
		return "[per-day HyperLogLogs]"
	case strings.HasPrefix(f, "stats:") && strings.Contains(f, ":d*"):
		return "[per-day counter hashes]"
	case strings.HasPrefix(f, "stats:") || strings.HasPrefix(f, "stats-biz:") || f == "totals" || f == "stats-pending":
		return "[month/quarter/year counters+sets]"
	case f == "pledge:*" || f == "pledges:*":
		return "[pledge hashes]"
	case f == "pledge:*:log":
		return "[pledge history lists]"
	case f == "audit":
		return "[audit list]"
	case strings.HasPrefix(f, "ledger:"):
		return "[ledger]"
	case strings.HasPrefix(f, "sums:") || strings.HasPrefix(f, "biz") || f == "months" || f == "theme-slots":
		return "[monthly sums and businesses' bits]"
	case strings.HasPrefix(f, "activity"):
		return "[activity index]"
	case strings.HasPrefix(f, "business") || strings.HasPrefix(f, "person") || f == "communities-of:*":
		return "[businesses and people]"
	}
	return "[other indexes]"
}
