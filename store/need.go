package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// PostNeed creates a need (lua/need_post.lua).
func (s *Store) PostNeed(ctx context.Context, c string, a bot.Actor, n bot.Need, reqID string) (bot.Need, error) {
	now := s.now()
	call := needPostCall{Actor: a, Req: reqID, Need: n, Now: now}
	nr, err := s.call(ctx, needPost, c, call.argv()...).Int()
	if err = s.fail(err); err != nil {
		return bot.Need{}, needError(err)
	}
	if err := s.AddCommunity(ctx, c); err != nil {
		return bot.Need{}, err
	}
	s.appear(ctx, c, a.ID)
	return s.Need(ctx, c, nr)
}

// CloseNeed closes a need (lua/need_close.lua).
func (s *Store) CloseNeed(ctx context.Context, c string, a bot.Actor, n int, reqID string) (bot.Need, error) {
	call := needCloseCall{Actor: a, Req: reqID, Need: n, Now: s.now()}
	err := s.call(ctx, needClose, c, call.argv()...).Err()
	if err = s.fail(err); err != nil {
		return bot.Need{}, needError(err)
	}
	s.appear(ctx, c, a.ID) // (as EditBusiness: erasure finds the community)
	return s.Need(ctx, c, n)
}

// Need reads one need with its pledges.
func (s *Store) Need(ctx context.Context, c string, n int) (bot.Need, error) {
	ns, err := s.readNeeds(ctx, c, n)
	if err != nil {
		return bot.Need{}, err
	}
	if len(ns) == 0 {
		return bot.Need{}, needNotFound(n)
	}
	return ns[0], nil
}

// Needs lists the latest 500 needs, newest first, with their pledges.
func (s *Store) Needs(ctx context.Context, c string) ([]bot.Need, error) {
	return s.readNeeds(ctx, c)
}

// needReadCall is the argument list of lua/need_read.lua, in one place.
type needReadCall struct {
	Needs []int // none: the latest 500
}

func (c needReadCall) argv() []any {
	args := []any{}
	for _, n := range c.Needs {
		args = append(args, n)
	}
	return args
}

func (s *Store) readNeeds(ctx context.Context, c string, ids ...int) ([]bot.Need, error) {
	call := needReadCall{Needs: ids}
	res, err := needRead.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return nil, err
	}
	out := make([]bot.Need, 0, len(res))
	for _, row := range res {
		n, err := decodeNeed(row)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func decodeNeed(row any) (bot.Need, error) {
	r, ok := row.([]any)
	if !ok || len(r) != 3 {
		return bot.Need{}, fmt.Errorf("store: need row %v", row)
	}
	nr, _ := strconv.Atoi(fmt.Sprint(r[0]))
	h := pairs(r[1])
	n := bot.Need{Number: nr, Text: joinLong(h, "text"), Theme: h["theme"], Unit: h["unit"], Area: h["area"],
		Status: bot.NeedOpen, CreatedAt: parseUnix(h["created_at"]), ClosedAt: parseUnix(h["closed_at"]), MetAt: parseUnix(h["met_at"])}
	n.Target, _ = strconv.ParseFloat(h["target"], 64)
	n.Factor, _ = strconv.ParseFloat(h["factor"], 64)
	n.Partner, _ = strconv.Atoi(h["pt"])
	n.Due, _ = time.Parse(time.DateOnly, h["due"])
	if h["status"] == bot.NeedClosed {
		n.Status = bot.NeedClosed
	}
	if id, err := bot.ParseIdentity(h["by"]); err == nil {
		n.PostedBy = id
	}
	ps, _ := r[2].([]any)
	for _, p := range ps {
		f, ok := p.([]any)
		if !ok || len(f) != 10 {
			continue
		}
		var np bot.NeedPledge
		np.Number, _ = strconv.Atoi(fmt.Sprint(f[0]))
		np.Business, _ = strconv.Atoi(fmt.Sprint(f[1]))
		np.BusinessName = fmt.Sprint(f[2])
		np.Private = fmt.Sprint(f[3]) == bot.Private
		np.Status = fmt.Sprint(f[4])
		np.Target, _ = strconv.ParseFloat(fmt.Sprint(f[5]), 64)
		np.Delivered, _ = strconv.ParseFloat(fmt.Sprint(f[6]), 64)
		np.Confirmed, _ = strconv.ParseFloat(fmt.Sprint(f[7]), 64)
		np.Awaiting, _ = strconv.ParseFloat(fmt.Sprint(f[8]), 64)
		np.Queried, _ = strconv.ParseFloat(fmt.Sprint(f[9]), 64)
		n.Pledges = append(n.Pledges, np)
	}
	return n, nil
}

// pairs reads a flat field, value, ... array into a map.
func pairs(v any) map[string]string {
	flat, _ := v.([]any)
	h := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		h[fmt.Sprint(flat[i])] = fmt.Sprint(flat[i+1])
	}
	return h
}

func needNotFound(n any) error {
	return bot.StoreErr(bot.NotFound, "need_not_found", n)
}

func needError(err error) error {
	se, ok := err.(*scriptError)
	if !ok {
		return err
	}
	kind, num, _ := strings.Cut(se.detail, " ")
	switch se.code + " " + kind {
	case "notfound need":
		return needNotFound(num)
	case "notfound partner":
		return partnerNotFound(num)
	case "forbidden needpartner":
		return bot.StoreErr(bot.Forbidden, "not_your_partner", num)
	case "forbidden needpost":
		return bot.StoreErr(bot.Forbidden, "need_poster_not_partner")
	case "forbidden needclose":
		return bot.StoreErr(bot.Forbidden, "not_need_closer", num)
	}
	if se.code == "closed" {
		return bot.StoreErr(bot.Conflict, "need_already_closed", se.detail)
	}
	return err
}

// needPostCall is the argument list of lua/need_post.lua.
type needPostCall struct {
	Actor bot.Actor
	Req   string
	Need  bot.Need
	Now   time.Time
}

func (c needPostCall) argv() []any {
	n := c.Need
	return append(actorArgs(c.Actor, reqKey(c.Req)), n.Text, n.Theme, num(n.Target), n.Unit, factorArg(n.Factor),
		refArg(n.Partner), n.Area, date(n.Due), c.Now.Unix())
}

// needCloseCall is the argument list of lua/need_close.lua.
type needCloseCall struct {
	Actor bot.Actor
	Req   string
	Need  int
	Now   time.Time
}

func (c needCloseCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Need, c.Now.Unix())
}
