package store

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// LapsedPledge is what the owners of a business are told about a pledge
// the lapse job lapsed.
type LapsedPledge struct {
	Number   int
	Text     string
	Business int
	ClosedAt time.Time // when it lapsed: with the number, names the notice
	Owners   []Recipient
}

// UntoldLapses lists pledges the lapse job lapsed whose owners have not
// been told yet (lapse.lua adds them; Told removes them).
func (s *Store) UntoldLapses(ctx context.Context, c string) ([]int, error) {
	raw, err := s.rdb.SMembers(ctx, s.key(c, "lapse-untold")).Result()
	if err = s.fail(err); err != nil {
		return nil, err
	}
	out := make([]int, 0, len(raw))
	for _, v := range raw {
		if n, err := strconv.Atoi(v); err == nil {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Told records that the owners of these lapsed pledges were told.
func (s *Store) Told(ctx context.Context, c string, ns []int) error {
	if len(ns) == 0 {
		return nil
	}
	members := make([]any, len(ns))
	for i, n := range ns {
		members[i] = n
	}
	return s.fail(s.rdb.SRem(ctx, s.key(c, "lapse-untold"), members...).Err())
}

// Recipient is an owner with their nudge preference ("off", "pause:UNIX"
// or ""), which the caller honours with NudgesAllowed.
type Recipient struct {
	Who  bot.Identity
	Pref string
}

// LapsedOwners reads, in one round trip, the text, business and owners of
// pledges just lapsed; pledges gone since are left out.
func (s *Store) LapsedOwners(ctx context.Context, c string, ns []int) ([]LapsedPledge, error) {
	if len(ns) == 0 {
		return nil, nil
	}
	pipe := s.rdb.Pipeline()
	heads := make([]*redis.SliceCmd, len(ns))
	for i, n := range ns {
		heads[i] = pipe.HMGet(ctx, s.key(c, "pledge", n), append([]string{"business", "closed_at"}, longFields("text")...)...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, s.fail(err)
	}
	out := make([]LapsedPledge, 0, len(ns))
	members := make([]*redis.MapStringStringCmd, 0, len(ns))
	for i, h := range heads {
		v := h.Val()
		parts := map[string]string{}
		for j, f := range longFields("text") {
			if s, ok := v[2+j].(string); ok {
				parts[f] = s
			}
		}
		text := joinLong(parts, "text")
		biz, _ := v[0].(string)
		b, err := strconv.Atoi(biz)
		if err != nil {
			continue
		}
		closed, _ := v[1].(string)
		out = append(out, LapsedPledge{Number: ns[i], Text: text, Business: b, ClosedAt: parseUnix(closed)})
		members = append(members, pipe.HGetAll(ctx, s.key(c, "business", b, "members")))
	}
	prefs := pipe.HGetAll(ctx, s.key(c, "nudge-prefs"))
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, s.fail(err)
	}
	for i := range out {
		for who, role := range members[i].Val() {
			id, err := bot.ParseIdentity(who)
			if role != bot.RoleOwner.String() || err != nil {
				continue
			}
			out[i].Owners = append(out[i].Owners, Recipient{Who: id, Pref: prefs.Val()[who]})
		}
	}
	return out, nil
}
