package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// RegisterBusiness creates a business with the actor as its owner.
func (s *Store) RegisterBusiness(ctx context.Context, c string, a bot.Actor, b bot.Business, reqID string) (bot.Business, error) {
	if err := s.backfillNameKeys(ctx, c); err != nil {
		return bot.Business{}, err
	}
	call := registerBusinessCall{Actor: a, Req: reqID, Business: b}
	n, err := s.call(ctx, registerBusiness, c, call.argv()...).Int()
	if err = s.fail(err); err != nil {
		return bot.Business{}, businessError(err)
	}
	if err := s.AddCommunity(ctx, c); err != nil {
		return bot.Business{}, err
	}
	s.appear(ctx, c, a.ID)
	b.Number, b.CreatedBy = n, a.ID
	b.Members = []bot.BusinessMember{{Who: a.ID, Role: bot.RoleOwner}}
	return b, nil
}

// Business reads one business with its members.
func (s *Store) Business(ctx context.Context, c string, n int) (bot.Business, error) {
	h, err := s.rdb.HGetAll(ctx, s.key(c, "business", n)).Result()
	if err = s.fail(err); err != nil {
		return bot.Business{}, err
	}
	if len(h) == 0 {
		return bot.Business{}, bot.StoreErr(bot.NotFound, "business_not_found", n)
	}
	if err := s.namePeople(ctx, c, h); err != nil {
		return bot.Business{}, err
	}
	return decodeBusiness(n, h, businessPeople(h)), nil
}

// Businesses lists every business of a community, members included.
func (s *Store) Businesses(ctx context.Context, c string) ([]bot.Business, error) {
	ids, err := s.businessIDs(ctx, c)
	if err != nil {
		return nil, err
	}
	return s.businessesByID(ctx, c, ids)
}

// businessIDs lists every number a business of the community may have:
// they are numbered 1..seq:business, and a deleted one's hash is gone, so
// they need no index of all (one zset of a large community's businesses
// cost 19 bytes a pledge; releases before kept it, businesses). Readers skip
// the numbers without a hash.
func (s *Store) businessIDs(ctx context.Context, c string) ([]string, error) {
	n, err := s.rdb.Get(ctx, s.key(c, "seq", "business")).Int()
	if err == redis.Nil {
		return nil, nil
	}
	if err = s.fail(err); err != nil {
		return nil, err
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = strconv.Itoa(i + 1)
	}
	return ids, nil
}

// BusinessesOf lists the businesses a person belongs to.
func (s *Store) BusinessesOf(ctx context.Context, c string, who bot.Identity) ([]bot.Business, error) {
	ids, err := s.personIndex(ctx, c, who, "")
	if err != nil {
		return nil, err
	}
	return s.businessesByID(ctx, c, ids)
}

// BusinessNamed is the business registered under a name key (bot.NameKey),
// 0 when none: the index registration keeps names unique by.
func (s *Store) BusinessNamed(ctx context.Context, c, key string) (int, error) {
	v, err := s.rdb.HGet(ctx, s.key(c, "business-names"), key).Result()
	if err == redis.Nil {
		return 0, nil
	}
	if err = s.fail(err); err != nil {
		return 0, err
	}
	n, _ := strconv.Atoi(v)
	return n, nil
}

// BusinessNames lists a community's businesses, numbers and names only, by
// number: what resolving a name needs, without their people.
func (s *Store) BusinessNames(ctx context.Context, c string) ([]bot.Business, error) {
	ids, err := s.businessIDs(ctx, c)
	if err != nil {
		return nil, err
	}
	names := make([]*redis.StringCmd, len(ids))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			names[i] = p.HGet(ctx, s.key(c, "business", id), "name")
		}
		return nil
	})
	if err != nil && err != redis.Nil {
		if err = s.fail(err); err != nil {
			return nil, err
		}
	}
	out := make([]bot.Business, 0, len(ids))
	for i, id := range ids {
		n, _ := strconv.Atoi(id)
		if name, err := names[i].Result(); err == nil {
			out = append(out, bot.Business{Number: n, Name: name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

func (s *Store) businessesByID(ctx context.Context, c string, ids []string) ([]bot.Business, error) {
	hs := make([]*redis.MapStringStringCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			hs[i] = p.HGetAll(ctx, s.key(c, "business", id))
		}
		return nil
	})
	if err = s.fail(err); err != nil {
		return nil, err
	}
	maps := make([]map[string]string, len(hs))
	for i := range hs {
		maps[i] = hs[i].Val()
	}
	if err := s.namePeople(ctx, c, maps...); err != nil {
		return nil, err
	}
	out := make([]bot.Business, 0, len(ids))
	for i, id := range ids {
		n, _ := strconv.Atoi(id)
		if len(hs[i].Val()) > 0 {
			out = append(out, decodeBusiness(n, hs[i].Val(), businessPeople(hs[i].Val())))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// SetMember adds a person to a business or changes their role.
func (s *Store) SetMember(ctx context.Context, c string, a bot.Actor, biz int, who bot.Identity, role bot.Role, reqID string) error {
	return s.member(ctx, c, a, biz, who, role.String(), reqID)
}

// RemoveMember takes a person out of a business.
func (s *Store) RemoveMember(ctx context.Context, c string, a bot.Actor, biz int, who bot.Identity, reqID string) error {
	return s.member(ctx, c, a, biz, who, "", reqID)
}

func (s *Store) member(ctx context.Context, c string, a bot.Actor, biz int, who bot.Identity, role, reqID string) error {
	call := setMemberCall{Actor: a, Req: reqID, Business: biz, Who: who, Role: role}
	err := s.call(ctx, setMember, c, call.argv()...).Err()
	if err = businessError(s.fail(err)); err == nil {
		s.appear(ctx, c, a.ID, who)
	}
	return err
}

func businessError(err error) error {
	se, ok := err.(*scriptError)
	if !ok {
		return err
	}
	kind, num, _ := strings.Cut(se.detail, " ")
	switch se.code + " " + kind {
	case "conflict business":
		return bot.StoreErr(bot.Conflict, "business_name_taken", num, num)
	case "notfound business":
		return bot.StoreErr(bot.NotFound, "business_not_found", num)
	case "forbidden owner":
		return bot.StoreErr(bot.Forbidden, "not_business_owner_members", num)
	case "notfound member":
		return bot.StoreErr(bot.NotFound, "not_a_member", num)
	case "conflict lastowner":
		return bot.StoreErr(bot.Conflict, "last_owner", num)
	}
	return err
}

// businessPeople is the members of a business (identity -> role) its hash
// business:N holds (named by namePeople): fields '@' + identity (folded_call in lua/prelude.lua;
// releases before kept them in business:N:members, MigrateMembers).
func businessPeople(h map[string]string) map[string]string {
	m := map[string]string{}
	for f, v := range h {
		if who, ok := strings.CutPrefix(f, "@"); ok {
			m[who] = v
		}
	}
	return m
}

// businessPledges is the numbers of a business's pledges among the field
// names of its hash: '#' + number (folded_call in lua/prelude.lua; releases
// before kept the set business:N:pledges, MigrateMembers), by number.
func businessPledges(fields []string) []string {
	var out []string
	for _, f := range fields {
		if n, ok := strings.CutPrefix(f, "#"); ok {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i])
		b, _ := strconv.Atoi(out[j])
		return a < b
	})
	return out
}

func decodeBusiness(n int, h, members map[string]string) bot.Business {
	b := bot.Business{Number: n, Name: h["name"], Sector: h["sector"], Postcode: h["postcode"],
		CreatedAt: parseUnix(h["created_at"]), NeedsOwner: h["needs_owner"] == "1"}
	b.CreatedBy, _ = bot.ParseIdentity(h["created_by"])
	decodeCompany(&b, h)
	for who, role := range members {
		id, err := bot.ParseIdentity(who)
		if err != nil {
			continue
		}
		r, _ := bot.ParseRole(role)
		b.Members = append(b.Members, bot.BusinessMember{Who: id, Role: r})
	}
	sort.Slice(b.Members, func(i, j int) bool {
		if b.Members[i].Role != b.Members[j].Role {
			return b.Members[i].Role > b.Members[j].Role
		}
		return b.Members[i].Who.Key() < b.Members[j].Who.Key()
	})
	return b
}

func parseUnix(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// backfillNameKeys gives the businesses of a community registered before
// names were compared by look-alike skeleton (bot.NameKey) their skeleton
// in business-names too, once, so that a look-alike of an older business
// is refused like one of a newer. Their lowercased key stays: the
// register script checks both, so an older business blocks its exact name
// whatever happens here. When two older businesses share a skeleton the
// lower number keeps it; the other stays reachable by its own key.
//
// The scripts go as EVAL, as a pipeline cannot load a missing script.
// It runs before a registration, the only time the keys are read; the
// migrations hash remembers it was done, so it reads business-names once
// per community. It is safe to run twice at once: each skeleton is set
// only when absent and only for a business that still exists.
func (s *Store) backfillNameKeys(ctx context.Context, c string) error {
	mig := s.key(c, "migrations")
	done, err := s.rdb.HExists(ctx, mig, nameKeysRelease).Result()
	if err = s.fail(err); err != nil || done {
		return err
	}
	names, err := s.rdb.HGetAll(ctx, s.key(c, "business-names")).Result()
	if err = s.fail(err); err != nil {
		return err
	}
	type entry struct {
		n        int
		skeleton string
	}
	var todo []entry
	for k, v := range names {
		n, err := strconv.Atoi(v)
		if skel := bot.NameKey(k); err == nil && skel != k {
			todo = append(todo, entry{n, skel})
		}
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].n < todo[j].n })
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, e := range todo {
			call := backfillSkeletonCall{Business: e.n, Skeleton: e.skeleton}
			backfillSkeleton.Eval(ctx, p, s.base(c), call.argv()...)
		}
		p.HSet(ctx, mig, nameKeysRelease, "done")
		return nil
	})
	return s.fail(err)
}

// nameKeyRelease names, in the migrations hash (field name-key), the
// release from which a business keeps no copy of its business-names key.
const nameKeyRelease = "name-key-2026-12"

// MigrateNameKey drops, once per community, the field name_key of its
// businesses (a copy of their key in business-names, about 25 bytes a
// business) where it equals the key of their name as this release
// computes it (bot.NameKey), which is what a deletion frees. Where it
// differs (a name keyed otherwise when it was registered), the business
// keeps it, and a deletion frees that key too (delete_business.lua). It
// reads the businesses 1..seq:business in pipelines of 1,000. It reports
// how many fields it dropped; 0 when it had run. Safe to run twice at
// once, and alongside writes: name_key is never written any more, and
// never changes.
func (s *Store) MigrateNameKey(ctx context.Context, c string) (int, error) {
	mig := s.key(c, "migrations")
	done, err := s.rdb.HExists(ctx, mig, "name-key").Result()
	if err = s.fail(err); err != nil || done {
		return 0, err
	}
	ids, err := s.businessIDs(ctx, c)
	if err != nil {
		return 0, err
	}
	dropped := 0
	for rest := ids; len(rest) > 0; {
		batch := rest[:min(len(rest), 1000)]
		rest = rest[len(batch):]
		cmds, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, n := range batch {
				p.HMGet(ctx, s.key(c, "business", n), "name", "name_key")
			}
			return nil
		})
		if err = s.fail(err); err != nil {
			return dropped, fmt.Errorf("dropping business name keys in community %s: %w", c, err)
		}
		var drop []string
		for i, cmd := range cmds {
			v := cmd.(*redis.SliceCmd).Val()
			name, _ := v[0].(string)
			key, ok := v[1].(string)
			if ok && key == bot.NameKey(name) {
				drop = append(drop, batch[i])
			}
		}
		_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, n := range drop {
				p.HDel(ctx, s.key(c, "business", n), "name_key")
			}
			return nil
		})
		if err = s.fail(err); err != nil {
			return dropped, fmt.Errorf("dropping business name keys in community %s: %w", c, err)
		}
		dropped += len(drop)
	}
	return dropped, s.fail(s.rdb.HSet(ctx, mig, "name-key", nameKeyRelease).Err())
}

// nameKeysRelease names the name-skeleton backfill in the migrations hash.
const nameKeysRelease = "name-skeletons"

// backfillSkeleton reserves a business's name skeleton
// (lua/backfill_skeleton.lua).
var backfillSkeleton = script("backfill_skeleton")

// registerBusinessCall is the argument list of lua/register_business.lua.
type registerBusinessCall struct {
	Actor    bot.Actor // its Admin flag is not passed: anyone may register
	Req      string
	Business bot.Business
}

func (c registerBusinessCall) argv() []any {
	b := c.Business
	return append([]any{c.Actor.ID.Key(), reqKey(c.Req), b.Name, bot.NameKey(b.Name), b.Sector, b.Postcode,
		unix(b.CreatedAt), strings.ToLower(b.Name)}, companyFields(b)...)
}

// setMemberCall is the argument list of lua/set_member.lua.
type setMemberCall struct {
	Actor    bot.Actor
	Req      string
	Business int
	Who      bot.Identity
	Role     string // "" removes them
}

func (c setMemberCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Business, c.Who.Key(), c.Role)
}

// backfillSkeletonCall is the argument list of lua/backfill_skeleton.lua.
type backfillSkeletonCall struct {
	Business int
	Skeleton string // bot.NameKey of its name
}

func (c backfillSkeletonCall) argv() []any { return []any{c.Business, c.Skeleton} }
