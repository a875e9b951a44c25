package store

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// RegisterPartner creates a community partner with owner as its
// partner-owner (lua/register_partner.lua).
func (s *Store) RegisterPartner(ctx context.Context, c string, a bot.Actor, p bot.Partner, owner bot.Identity, reqID string) (bot.Partner, error) {
	call := registerPartnerCall{Actor: a, Req: reqID, Partner: p, Owner: owner}
	n, err := s.call(ctx, registerPartner, c, call.argv()...).Int()
	if err = s.fail(err); err != nil {
		return bot.Partner{}, partnerError(err)
	}
	if err := s.AddCommunity(ctx, c); err != nil {
		return bot.Partner{}, err
	}
	s.appear(ctx, c, a.ID, owner)
	p.Number = n
	p.Members = []bot.PartnerMember{{Who: owner, Role: bot.RolePartnerOwner}}
	return p, nil
}

// Partner reads one partner with its people.
func (s *Store) Partner(ctx context.Context, c string, n int) (bot.Partner, error) {
	ps, err := s.partnersByID(ctx, c, []string{strconv.Itoa(n)})
	if err != nil {
		return bot.Partner{}, err
	}
	if len(ps) == 0 {
		return bot.Partner{}, partnerNotFound(n)
	}
	return ps[0], nil
}

// Partners lists every partner of a community, people included.
func (s *Store) Partners(ctx context.Context, c string) ([]bot.Partner, error) {
	ids, err := s.rdb.ZRange(ctx, s.key(c, "partners"), 0, -1).Result()
	if err = s.fail(err); err != nil {
		return nil, err
	}
	return s.partnersByID(ctx, c, ids)
}

// PartnersOf lists the partners a person acts for.
func (s *Store) PartnersOf(ctx context.Context, c string, who bot.Identity) ([]bot.Partner, error) {
	ids, err := s.personIndex(ctx, c, who, "partners")
	if err != nil {
		return nil, err
	}
	return s.partnersByID(ctx, c, ids)
}

func (s *Store) partnersByID(ctx context.Context, c string, ids []string) ([]bot.Partner, error) {
	hs := make([]*redis.MapStringStringCmd, len(ids))
	ms := make([]*redis.MapStringStringCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			hs[i] = p.HGetAll(ctx, s.key(c, "partner", id))
			ms[i] = p.HGetAll(ctx, s.key(c, "partner", id, "members"))
		}
		return nil
	})
	if err = s.fail(err); err != nil {
		return nil, err
	}
	out := make([]bot.Partner, 0, len(ids))
	for i, id := range ids {
		n, _ := strconv.Atoi(id)
		if len(hs[i].Val()) > 0 {
			out = append(out, decodePartner(n, hs[i].Val(), ms[i].Val()))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// SetPartnerMember adds a person to a partner or changes their role
// (bot.RolePartnerOwner or bot.RolePartnerMember).
func (s *Store) SetPartnerMember(ctx context.Context, c string, a bot.Actor, p int, who bot.Identity, role bot.Role, reqID string) error {
	if !role.PartnerRole() {
		return bot.StoreErr(bot.Invalid, "partner_role_invalid", role)
	}
	return s.partnerMember(ctx, c, a, p, who, role.String(), reqID)
}

// RemovePartnerMember takes a person out of a partner.
func (s *Store) RemovePartnerMember(ctx context.Context, c string, a bot.Actor, p int, who bot.Identity, reqID string) error {
	return s.partnerMember(ctx, c, a, p, who, "", reqID)
}

func (s *Store) partnerMember(ctx context.Context, c string, a bot.Actor, p int, who bot.Identity, role, reqID string) error {
	call := setPartnerMemberCall{Actor: a, Req: reqID, Partner: p, Who: who, Role: role}
	err := s.call(ctx, setPartnerMember, c, call.argv()...).Err()
	if err = partnerError(s.fail(err)); err == nil {
		s.appear(ctx, c, a.ID, who)
	}
	return err
}

func partnerNotFound(n any) error {
	return bot.StoreErr(bot.NotFound, "partner_not_found", n)
}

func partnerError(err error) error {
	se, ok := err.(*scriptError)
	if !ok {
		return err
	}
	kind, num, _ := strings.Cut(se.detail, " ")
	switch se.code + " " + kind {
	case "conflict partner":
		return bot.StoreErr(bot.Conflict, "partner_name_taken", num, num)
	case "forbidden onbehalf":
		return bot.StoreErr(bot.Forbidden, "partner_owner_not_allowed")
	case "notfound partner":
		return partnerNotFound(num)
	case "forbidden partnerowner":
		return bot.StoreErr(bot.Forbidden, "not_partner_owner_people", num)
	case "notfound partnermember":
		return bot.StoreErr(bot.NotFound, "not_partner_person", num)
	case "conflict partnerlastowner":
		return bot.StoreErr(bot.Conflict, "last_partner_owner", num)
	}
	return err
}

func decodePartner(n int, h, members map[string]string) bot.Partner {
	p := bot.Partner{Number: n, Name: h["name"], Area: h["area"], About: h["about"],
		CreatedAt: parseUnix(h["created_at"]), NeedsOwner: h["needs_owner"] == "1"}
	for who, role := range members {
		id, err := bot.ParseIdentity(who)
		if err != nil {
			continue
		}
		r, _ := bot.ParseRole(role)
		p.Members = append(p.Members, bot.PartnerMember{Who: id, Role: r})
	}
	sort.Slice(p.Members, func(i, j int) bool {
		if p.Members[i].Role != p.Members[j].Role {
			return p.Members[i].Role > p.Members[j].Role
		}
		return p.Members[i].Who.Key() < p.Members[j].Who.Key()
	})
	return p
}

// registerPartnerCall is the argument list of lua/register_partner.lua.
type registerPartnerCall struct {
	Actor   bot.Actor
	Req     string
	Partner bot.Partner
	Owner   bot.Identity // its partner-owner
}

func (c registerPartnerCall) argv() []any {
	p := c.Partner
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Owner.Key(), p.Name, bot.NameKey(p.Name), p.Area, p.About, unix(p.CreatedAt))
}

// setPartnerMemberCall is the argument list of lua/set_partner_member.lua.
type setPartnerMemberCall struct {
	Actor   bot.Actor
	Req     string
	Partner int
	Who     bot.Identity
	Role    string // "" removes them
}

func (c setPartnerMemberCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Partner, c.Who.Key(), c.Role)
}
