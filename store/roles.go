package store

import (
	"context"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// Roles returns the community roles granted to a person, in one round trip.
func (s *Store) Roles(ctx context.Context, c string, who bot.Identity) ([]bot.Role, error) {
	cmds := make([]*redis.BoolCmd, len(bot.CommunityRoles))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, r := range bot.CommunityRoles {
			cmds[i] = p.SIsMember(ctx, s.key(c, "role", r.String()), who.Key())
		}
		return nil
	})
	if err = s.fail(err); err != nil {
		return nil, err
	}
	var out []bot.Role
	for i, r := range bot.CommunityRoles {
		if cmds[i].Val() {
			out = append(out, r)
		}
	}
	return out, nil
}
