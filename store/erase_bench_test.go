package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/pledgetest/testredis"
	"github.com/redis/go-redis/v9"
)

// BenchmarkDeleteErase measures deleting one business and erasing one
// person against the amount of unrelated data (issue 15: each under 1 s at
// 100,000 pledges over 1,000 communities, and within 1.5x of the same
// operation with a tenth of the unrelated data).
//
// It starts two redis-servers of its own (defaults, no persistence) and
// loads them through the store's API with BenchmarkStorageCost's loader,
// shape B (communities of 100 pledges, one business per 5 pledges, a year
// of progress, completions and withdrawals, real request ids): the large
// one with 1,000 communities (100,000 pledges), the small one with the
// first 100 of them, the same data. Each iteration then does the same
// operation on the same business or person in both, one after the other
// (in turn first), so both see the same machine: deletion removes a
// business with its 5 pledges, their histories and audit entries, by its
// owner; erasure removes the owner of another business from the one
// community they appear in (their business is handed over). Every
// iteration takes a business or person not touched before.
//
// ns/op is the large Redis's time; ns/op-small the small one's; ratio
// their quotient, and median-ratio that of the medians, which a burst of
// other work on the machine moves less. scans/op counts the SCANs both
// Redis served (INFO commandstats): 0 when nothing walks the keyspace.
//
//	go test ./store -run '^$' -bench BenchmarkDeleteErase -benchtime 200x -timeout 30m
//
// -benchtime is at most 999x: each community has 10 businesses and 10
// owners to take, and operations take them from the first 100
// communities. PLEDGEBOT_BENCH_SCALE (default 1) scales the numbers of
// communities (0.1: 100 and 10; then at most 99x); PLEDGEBOT_BENCH_WORKERS
// (default 8) sets how many writes the load keeps in flight.
func BenchmarkDeleteErase(b *testing.B) {
	scale := 1.0
	if v, err := strconv.ParseFloat(os.Getenv("PLEDGEBOT_BENCH_SCALE"), 64); err == nil && v > 0 {
		scale = v
	}
	small, large := max(int(100*scale), 1), max(int(1000*scale), 2)
	worlds := []*eraseWorld{loadEraseWorld(b, large, large), loadEraseWorld(b, large, small)}
	defer func() {
		for _, w := range worlds {
			w.close()
		}
	}()
	// The one SCAN of the keyspace, at upgrade: here the data was written
	// by this release and has its indexes already, so it only shows what
	// the walk costs. (Erase would run it otherwise.)
	for _, w := range worlds {
		start := time.Now()
		n, err := w.s.MigratePeople(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("MigratePeople over %d communities: %v, %d index entries", len(w.comms), time.Since(start).Round(time.Millisecond), n)
	}
	targets := small * (len(worlds[0].comms[0].business) / 2)
	ops := []struct {
		name string
		odd  int // deletions take even businesses, erasures the owners of odd ones
		do   func(ctx context.Context, s *Store, c *costCommunity, j int) error
	}{
		{"delete", 0, func(ctx context.Context, s *Store, c *costCommunity, j int) error {
			return s.DeleteBusiness(ctx, c.id, c.owners[j], c.business[j], fmt.Sprintf("bench-delete-%d", c.business[j]))
		}},
		{"erase", 1, func(ctx context.Context, s *Store, c *costCommunity, j int) error {
			e, err := s.Erase(ctx, "operator:bench", c.owners[j].ID)
			if err == nil && len(e.Communities) != 1 {
				err = fmt.Errorf("erasing %s found %v", c.owners[j].ID.Key(), e.Communities)
			}
			return err
		}},
	}
	for _, op := range ops {
		next := 0
		b.Run(op.name, func(b *testing.B) {
			ctx := context.Background()
			if next+b.N > targets {
				b.Fatalf("%d operations asked, %d left: lower -benchtime", b.N, targets-next)
			}
			times := [2][]time.Duration{make([]time.Duration, b.N), make([]time.Duration, b.N)}
			var scans int64
			for _, w := range worlds {
				scans -= scanCalls(b, w.rdb)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := next + i
				ci, j := k%small, 2*(k/small)+op.odd
				for turn := range 2 {
					wi := (i + turn) % 2
					w := worlds[wi]
					if wi != 0 {
						b.StopTimer()
					}
					start := time.Now()
					if err := op.do(ctx, w.s, w.comms[ci], j); err != nil {
						b.Fatal(err)
					}
					times[wi][i] = time.Since(start)
					if wi != 0 {
						b.StartTimer()
					}
				}
			}
			b.StopTimer()
			next += b.N
			for _, w := range worlds {
				scans += scanCalls(b, w.rdb)
			}
			mean := func(ds []time.Duration) float64 {
				var sum time.Duration
				for _, d := range ds {
					sum += d
				}
				return float64(sum.Nanoseconds()) / float64(len(ds))
			}
			median := func(ds []time.Duration) float64 {
				s := slices.Clone(ds)
				slices.Sort(s)
				return float64(s[len(s)/2].Nanoseconds())
			}
			lg, sm := mean(times[0]), mean(times[1])
			b.ReportMetric(sm, "ns/op-small")
			b.ReportMetric(lg/sm, "ratio")
			b.ReportMetric(median(times[0])/median(times[1]), "median-ratio")
			b.ReportMetric(float64(scans)/float64(b.N), "scans/op")
			b.Logf("%s: %.2f ms/op (median %.2f) with %d communities, %.2f ms/op (median %.2f) with %d: ratio %.2f (of medians %.2f)",
				op.name, sm/1e6, median(times[1])/1e6, small, lg/1e6, median(times[0])/1e6, large, lg/sm,
				median(times[0])/median(times[1]))
		})
	}
}

// eraseWorld is one Redis of the benchmark's own, loaded.
type eraseWorld struct {
	rdb   *redis.Client
	s     *Store
	comms []*costCommunity // the communities loaded
	close func()
}

// loadEraseWorld starts a redis-server and loads the first n of the
// `of` communities BenchmarkStorageCost's loader makes (the same ones
// for the same `of`, whatever n).
func loadEraseWorld(b *testing.B, of, n int) *eraseWorld {
	ctx := context.Background()
	workers := 8
	if v, err := strconv.Atoi(os.Getenv("PLEDGEBOT_BENCH_WORKERS")); err == nil && v > 0 {
		workers = v
	}
	srv := testredis.Start(b)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr(), DisableIdentity: true, PoolSize: workers + 4})
	rng := rand.New(rand.NewPCG(15, uint64(of)))
	comms := costCommunities(rng, costShape{name: "B-many-communities", communities: of, pledges: 100})[:n]
	stores := make([]*Store, workers)
	clocks := make([]time.Time, workers)
	for i := range stores {
		stores[i] = New(rdb, "pb")
		stores[i].SetClock(func() time.Time { return clocks[i] })
	}
	if err := stores[0].LoadScripts(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	counts := replayCostEvents(b, stores, clocks, comms, costEvents(rng, comms))
	for _, s := range stores {
		s.people.close()
	}
	b.Logf("redis-server %s on %s: loaded %d communities in %v, %d pledges and %d progress logs; %d keys",
		redisVersion(b, rdb), srv.Addr(), n, time.Since(start).Round(time.Second), counts["add"], counts["progress"],
		rdb.DBSize(ctx).Val())
	w := &eraseWorld{rdb: rdb, s: New(rdb, "pb"), comms: comms}
	w.close = func() {
		w.s.people.close()
		rdb.Close()
	}
	return w
}

var scanStat = regexp.MustCompile(`cmdstat_scan:calls=(\d+)`)

// scanCalls is how many SCAN commands Redis has served.
func scanCalls(b *testing.B, rdb *redis.Client) int64 {
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	m := scanStat.FindStringSubmatch(info)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

func redisVersion(b *testing.B, rdb *redis.Client) string {
	info, err := rdb.Info(context.Background(), "server").Result()
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "redis_version:"); ok {
			return v
		}
	}
	return "?"
}
