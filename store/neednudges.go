package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// SetNeedNudges opts a person in to (on) or out of the weekly "needs near
// you" message: a set add or remove, so a retry changes nothing more.
func (s *Store) SetNeedNudges(ctx context.Context, c string, who bot.Identity, on bool) error {
	key := s.key(c, "need-nudges")
	var err error
	if on {
		err = s.rdb.SAdd(ctx, key, who.Key()).Err()
	} else {
		err = s.rdb.SRem(ctx, key, who.Key()).Err()
	}
	if err = s.fail(err); err == nil && on {
		// Erasure visits the communities a person appears in.
		s.appear(ctx, c, who)
	}
	return err
}

// NeedNudgeBusiness is a business an opted-in person acts for, as the
// needs job matches it: its postcode and the themes it has pledged in.
type NeedNudgeBusiness struct {
	Number   int
	Name     string
	Postcode string
	Themes   []string // sorted
}

// NeedNudgee is a person who opted in, with the businesses they act for,
// by number.
type NeedNudgee struct {
	Who        bot.Identity
	Businesses []int // sorted
}

// NeedNudgees reads, in one round trip, everyone opted in to the weekly
// needs message and the businesses they act for. People are sorted by
// identity.
func (s *Store) NeedNudgees(ctx context.Context, c string) ([]NeedNudgee, map[int]NeedNudgeBusiness, error) {
	call := needNudgeesCall{}
	res, err := needNudgees.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return nil, nil, err
	}
	if len(res) != 2 {
		return nil, nil, fmt.Errorf("store: unexpected needs reply of %d parts", len(res))
	}
	bizs := map[int]NeedNudgeBusiness{}
	rows, _ := res[1].([]any)
	for _, row := range rows {
		r := strs(row)
		if len(r) < 3 {
			return nil, nil, fmt.Errorf("store: unexpected needs row %v", row)
		}
		b := NeedNudgeBusiness{Name: r[1], Postcode: r[2], Themes: r[3:]}
		b.Number, _ = strconv.Atoi(r[0])
		slices.Sort(b.Themes)
		bizs[b.Number] = b
	}
	var out []NeedNudgee
	people, _ := res[0].([]any)
	for _, p := range people {
		pair, _ := p.([]any)
		if len(pair) != 2 {
			return nil, nil, fmt.Errorf("store: unexpected needs person %v", p)
		}
		id, err := bot.ParseIdentity(fmt.Sprint(pair[0]))
		if err != nil {
			continue
		}
		n := NeedNudgee{Who: id}
		for _, b := range strs(pair[1]) {
			if v, err := strconv.Atoi(b); err == nil {
				if _, ok := bizs[v]; ok {
					n.Businesses = append(n.Businesses, v)
				}
			}
		}
		slices.Sort(n.Businesses)
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b NeedNudgee) int { return strings.Compare(a.Who.Key(), b.Who.Key()) })
	return out, bizs, nil
}

// needNudgeesCall is the argument list of lua/need_nudgees.lua: none.
type needNudgeesCall struct{}

func (needNudgeesCall) argv() []any { return []any{} }
