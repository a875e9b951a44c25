package store

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// RecordOutcome records what difference pledge n made, in the words of a
// member of the partner it is made to (lua/outcome.lua). A later outcome
// replaces the earlier on the pledge; the history keeps both.
func (s *Store) RecordOutcome(ctx context.Context, c string, a bot.Actor, n int, text, reqID string) (bot.Pledge, error) {
	call := outcomeCall{Actor: a, Req: reqID, Pledge: n, Text: text, Now: s.now()}
	res, err := recordOutcome.Run(ctx, s.rdb, s.base(c), call.argv()...).Result()
	if err = s.fail(err); err != nil {
		if se, ok := err.(*scriptError); ok {
			if e := outcomeError(se); e != nil {
				return bot.Pledge{}, e
			}
		}
		return bot.Pledge{}, pledgeError(err)
	}
	p, err := decodeRow(res)
	if err == nil {
		s.appear(ctx, c, a.ID)
	}
	return p, err
}

func outcomeError(se *scriptError) error {
	switch se.code {
	case "nopartner":
		return bot.StoreErr(bot.Invalid, "outcome_no_partner", se.detail)
	case "notpartner":
		n, pt, _ := strings.Cut(se.detail, " ")
		return bot.StoreErr(bot.Forbidden, "not_partner_outcome", pt, n)
	}
	return nil
}

// ExportPartner gathers a partner, its people and the pledges made to it
// with their histories, for its partner-owners, admins and coordinators.
// Pledges the actor may not see (a private one, for a coordinator) are
// left out.
func (s *Store) ExportPartner(ctx context.Context, c string, a bot.Actor, n int) (bot.PartnerExport, error) {
	p, err := s.Partner(ctx, c, n)
	if err != nil {
		return bot.PartnerExport{}, err
	}
	allowed := a.Admin
	for _, m := range p.Members {
		allowed = allowed || (m.Who == a.ID && m.Role == bot.RolePartnerOwner)
	}
	for _, role := range []string{"admin", "coordinator"} {
		if allowed {
			break
		}
		if allowed, err = s.rdb.SIsMember(ctx, s.key(c, "role", role), a.ID.Key()).Result(); s.fail(err) != nil {
			return bot.PartnerExport{}, s.fail(err)
		}
	}
	if !allowed {
		return bot.PartnerExport{}, bot.StoreErr(bot.Forbidden, "not_partner_owner_export", n)
	}
	ids, err := s.rdb.SMembers(ctx, s.key(c, "partner", n, "pledges")).Result()
	if err = s.fail(err); err != nil {
		return bot.PartnerExport{}, err
	}
	sort.Slice(ids, func(i, j int) bool {
		return len(ids[i]) < len(ids[j]) || (len(ids[i]) == len(ids[j]) && ids[i] < ids[j])
	})
	out := bot.PartnerExport{Partner: p, Pledges: []bot.PledgeData{}, Exported: s.now().UTC()}
	for _, id := range ids {
		num, _ := strconv.Atoi(id)
		pl, events, err := s.pledge(ctx, c, a, num, "all")
		if bot.ErrorCode(err) == bot.NotFound {
			continue
		}
		if err != nil {
			return bot.PartnerExport{}, err
		}
		out.Pledges = append(out.Pledges, bot.PledgeData{Pledge: pl, History: events})
	}
	return out, nil
}

// outcomeCall is the argument list of lua/outcome.lua.
type outcomeCall struct {
	Actor  bot.Actor
	Req    string
	Pledge int
	Text   string
	Now    time.Time
}

func (c outcomeCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Pledge, c.Text, c.Now.Unix())
}
