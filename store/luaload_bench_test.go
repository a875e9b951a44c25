package store

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest/testredis"
	"github.com/redis/go-redis/v9"
)

// BenchmarkScriptRedisTime is the Redis time per call of a few scripts as
// the loader sends them (carried: only the helpers used) and as they were
// sent before (glued: the whole prelude and the libraries named in front),
// read from INFO commandstats (evalsha usec over calls, redis-us/op) on a redis-server of
// its own, so no other client's calls count:
//
//	go test ./store -run '^$' -bench BenchmarkScriptRedisTime -benchtime 5000x
func BenchmarkScriptRedisTime(b *testing.B) {
	if onEmbedded() {
		b.Skip("reads INFO commandstats of a redis-server of its own")
	}
	ctx := context.Background()
	srv := testredis.Start(b)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr(), DisableIdentity: true})
	b.Cleanup(func() { rdb.Close() })
	s := New(rdb, "pb")
	b.Cleanup(func() { s.Close() })
	a := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "U1"}}
	if _, err := s.RegisterBusiness(ctx, "c", a, bot.Business{Name: "Acme"}, ""); err != nil {
		b.Fatal(err)
	}
	p, err := s.AddPledge(ctx, "c", a, bot.NewPledge{Text: "Plant trees", Theme: "carbon", Target: 10}, "")
	if err != nil {
		b.Fatal(err)
	}
	base := s.base("c")
	for _, c := range []struct {
		name string
		libs []string // what the script was glued with before
		args []any
	}{
		{"nudge_when", nil, nudgeWhenCall{Who: a.ID, Part: "clock", Value: "09:00"}.argv()},
		{"get_pledge", []string{"figures"}, getPledgeCall{Actor: a, Pledge: p.Number}.argv()},
		{"list_pledges", nil, listPledgesCall{Actor: a, Filter: bot.PledgeFilter{Limit: 50}, ScanCap: 1000}.argv()},
	} {
		for _, how := range []string{"glued", "carried"} {
			src := assemble(c.name)
			if how == "glued" {
				src = glued(c.name, c.libs)
			}
			sc, keys := redis.NewScript(src), allScripts[c.name].keys(base, c.args)
			if how == "glued" {
				keys = []string{base} // what the prelude read then
			}
			b.Run(c.name+"/"+how, func(b *testing.B) {
				if err := sc.Run(ctx, rdb, keys, c.args...).Err(); err != nil {
					b.Fatal(err)
				}
				before := evalshaStats(b, rdb)
				for range b.N {
					if err := sc.EvalSha(ctx, rdb, keys, c.args...).Err(); err != nil {
						b.Fatal(err)
					}
				}
				reportScriptTime(b, rdb, before)
				b.ReportMetric(float64(len(src)), "bytes")
			})
		}
	}
}

// glued is a script as the loader before this one sent it: prelude.lua,
// the libraries named and the script, whole.
func glued(name string, libNames []string) string {
	var src []string
	for _, f := range append(append([]string{"prelude"}, libNames...), name) {
		src = append(src, scriptSource(f))
	}
	return strings.Join(src, "\n")
}
