package store

import (
	"context"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// RecordOutcome records what difference pledge n made, in the words of a
// member of the partner it is made to (lua/outcome.lua). A later outcome
// replaces the earlier on the pledge; the history keeps both.
func (s *Store) RecordOutcome(ctx context.Context, c string, a bot.Actor, n int, text, reqID string) (bot.Pledge, error) {
	res, err := recordOutcome.Run(ctx, s.rdb, []string{s.base(c)},
		append(actorArgs(a, reqKey(reqID)), n, text, s.now().Unix())...).Result()
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
		return bot.Errorf(bot.Invalid, "Pledge #%s names no community partner, so there is no partner to tell its outcome.", se.detail)
	case "notpartner":
		n, pt, _ := strings.Cut(se.detail, " ")
		return bot.Errorf(bot.Forbidden, "Only the people of partner #%s, which pledge #%s is made to, can record its outcome.", pt, n)
	}
	return nil
}
