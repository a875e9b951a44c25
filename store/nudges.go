package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// NudgeCandidate is a pledge a nudge sweep may write about: an active one
// found by its due date or quiet spell, or one lapsed whose owners are
// still to be told.
type NudgeCandidate struct {
	Number      int
	Source      string       // "due", "stale" or "lapsed": which index found it
	Maker       bot.Identity // zero once they left the business
	Owners      []bot.Identity
	Text        string
	Due         time.Time
	SnoozeUntil time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time
	Target      float64
	Progress    float64
	Unit        string
	Business    int
	Decided     map[string]bool // notice fields already decided (see NudgeKey)
}

// Nudgee is what a sweep knows of one person it may nudge.
type Nudgee struct {
	Pref   string // "off", "pause:UNIX" or "": see NudgesAllowed
	When   string // their own nudge time and zone, "HH:MM|Zone", either part may be empty
	Nudged string // the local date (YYYY-MM-DD) of their last nudge message
}

// NudgeCandidates reads, in one round trip, the active pledges due between
// two dates or last updated inside a window (both inclusive), the lapsed
// pledges still to be told, and the settings of everyone they concern.
func (s *Store) NudgeCandidates(ctx context.Context, c string, dueFrom, dueTo, updFrom, updTo time.Time) ([]NudgeCandidate, map[bot.Identity]Nudgee, error) {
	call := nudgeCandidatesCall{DueFrom: dueFrom, DueTo: dueTo, UpdFrom: updFrom, UpdTo: updTo}
	res, err := nudgeCandidates.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return nil, nil, err
	}
	if len(res) != 2 {
		return nil, nil, fmt.Errorf("store: unexpected nudge reply of %d parts", len(res))
	}
	rows, _ := res[0].([]any)
	out := make([]NudgeCandidate, 0, len(rows))
	for _, row := range rows {
		r := strs(row)
		if len(r) != 15 {
			return nil, nil, fmt.Errorf("store: unexpected nudge row %v", row)
		}
		nc := NudgeCandidate{Source: r[1], Text: r[3], SnoozeUntil: parseUnix(r[5]), UpdatedAt: parseUnix(r[6]),
			Unit: r[9], ClosedAt: parseUnix(r[13]), Decided: map[string]bool{}}
		nc.Number, _ = strconv.Atoi(r[0])
		nc.Maker, _ = bot.ParseIdentity(r[2])
		for _, o := range strings.Split(r[12], ",") {
			if id, err := bot.ParseIdentity(o); err == nil {
				nc.Owners = append(nc.Owners, id)
			}
		}
		nc.Due, _ = time.Parse(time.DateOnly, r[4])
		nc.Target, nc.Progress = ownUnit(r[7], r[8], r[11])
		nc.Business, _ = strconv.Atoi(r[10])
		for _, f := range strings.Split(r[14], "\n") {
			if f != "" {
				nc.Decided[f] = true
			}
		}
		out = append(out, nc)
	}
	flat := strs(res[1])
	people := make(map[bot.Identity]Nudgee, len(flat)/4)
	for i := 0; i+3 < len(flat); i += 4 {
		if id, err := bot.ParseIdentity(flat[i]); err == nil {
			people[id] = Nudgee{Pref: flat[i+1], When: flat[i+2], Nudged: flat[i+3]}
		}
	}
	return out, people, nil
}

// NudgeKey names one item of a nudge message: a pledge, what it says
// (kind and period, e.g. "soon:2026-12-01", "lapsed:1790000000") and to
// whom. The field part (without "nudge:N:" or "lapsed:N:") is what
// NudgeCandidate.Decided holds.
func NudgeKey(n int, what string, who bot.Identity) (key, field string) {
	field = what + ":" + who.Key()
	if rest, ok := strings.CutPrefix(what, "lapsed:"); ok {
		return fmt.Sprintf("lapsed:%d:%s:%s", n, rest, who.Key()), field
	}
	return fmt.Sprintf("nudge:%d:%s", n, field), field
}

// NudgeMessage is one person's nudge message of a sweep: its items'
// notice keys, and its parts as sent, in order.
type NudgeMessage struct {
	Who   bot.Identity
	Date  string // the person's local date: one message a day
	Items []string
	Parts []bot.Notice
}

// ErrNudgeRace says an item of a message was decided, or its pledge
// deleted, since the sweep read them; nothing was enqueued.
var ErrNudgeRace = errors.New("store: nudge items changed since they were read")

// EnqueueNudges puts each person's message in the outbox, its parts as
// consecutive entries, in one atomic step: a person already nudged on
// their date is left out, and each item is decided with the ttl. It
// returns how many parts were enqueued.
func (s *Store) EnqueueNudges(ctx context.Context, c string, ttl time.Duration, msgs []NudgeMessage) (int, error) {
	call := enqueueNudgesCall{TTL: ttl}
	for _, m := range msgs {
		msg := nudgeArgs{Who: m.Who.Key(), Date: m.Date, Items: m.Items}
		for _, p := range m.Parts {
			b, err := json.Marshal(p)
			if err != nil {
				return 0, err
			}
			msg.Parts = append(msg.Parts, string(b))
		}
		call.Messages = append(call.Messages, msg)
	}
	n, err := enqueueNudges.Run(ctx, s.rdb, s.base(c), call.argv()...).Int()
	if err = s.fail(err); err != nil {
		return 0, err
	}
	if n == -2 {
		return 0, ErrNudgeRace
	}
	return n, nil
}

// nudgeCandidatesCall is the argument list of lua/nudge_candidates.lua.
type nudgeCandidatesCall struct {
	DueFrom, DueTo, UpdFrom, UpdTo time.Time
}

func (c nudgeCandidatesCall) argv() []any {
	return []any{c.DueFrom.Unix(), c.DueTo.Unix(), c.UpdFrom.Unix(), c.UpdTo.Unix()}
}

// enqueueNudgesCall is the argument list of lua/enqueue_nudges.lua.
type enqueueNudgesCall struct {
	TTL      time.Duration
	Messages []nudgeArgs
}

// nudgeArgs is one message of enqueueNudgesCall.
type nudgeArgs struct {
	Who, Date string
	Items     []string
	Parts     []string // bot.Notice in JSON
}

func (c enqueueNudgesCall) argv() []any {
	args := []any{int64(c.TTL.Seconds())}
	for _, m := range c.Messages {
		args = append(args, m.Who, m.Date, len(m.Items))
		for _, k := range m.Items {
			args = append(args, k)
		}
		args = append(args, len(m.Parts))
		for _, p := range m.Parts {
			args = append(args, p)
		}
	}
	return args
}
