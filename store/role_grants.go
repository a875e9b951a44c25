package store

import (
	"context"
	"sort"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// GrantRole adds a person to the set role:ROLE. One command: atomic alone.
func (s *Store) GrantRole(ctx context.Context, c string, who bot.Identity, r bot.Role) (bool, error) {
	n, err := s.rdb.SAdd(ctx, s.key(c, "role", r.String()), who.Key()).Result()
	if err = s.fail(err); err == nil {
		s.appear(ctx, c, who)
	}
	return n == 1, err
}

// RevokeRole removes a person from the set role:ROLE.
func (s *Store) RevokeRole(ctx context.Context, c string, who bot.Identity, r bot.Role) (bool, error) {
	n, err := s.rdb.SRem(ctx, s.key(c, "role", r.String()), who.Key()).Result()
	return n == 1, s.fail(err)
}

// RoleGrants lists every granted community role in one round trip.
func (s *Store) RoleGrants(ctx context.Context, c string) (map[bot.Role][]bot.Identity, error) {
	cmds := make([]*redis.StringSliceCmd, len(bot.CommunityRoles))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, r := range bot.CommunityRoles {
			cmds[i] = p.SMembers(ctx, s.key(c, "role", r.String()))
		}
		return nil
	})
	if err = s.fail(err); err != nil {
		return nil, err
	}
	out := map[bot.Role][]bot.Identity{}
	for i, r := range bot.CommunityRoles {
		for _, k := range cmds[i].Val() {
			if id, err := bot.ParseIdentity(k); err == nil {
				out[r] = append(out[r], id)
			}
		}
		sort.Slice(out[r], func(a, b int) bool { return out[r][a].Key() < out[r][b].Key() })
	}
	return out, nil
}
