package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// correctCall is the argument list of lua/correct.lua, in one place.
type correctCall struct {
	Actor  bot.Actor
	Req    string
	Pledge int
	Entry  int     // 0: the latest entry not struck
	Amount float64 // in the pledge's own unit
	Note   string
	At     time.Time
	// What the partner's people are asked about a corrected amount
	// (bot.CorrectionNotice in JSON), in the community, with the amount
	// in words and its unit's singular table (as LogProgress passes them).
	Community, Notice, Number, Singular string
}

func (c correctCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Pledge, c.Entry, num(c.Amount), c.Note,
		c.At.Format(time.RFC3339), c.At.Unix(), c.Community, c.Notice, c.Number, c.Singular)
}

// CorrectProgress changes progress entry k of pledge n (0: the latest) to
// amount, 0 striking it. History keeps both; every figure follows. A
// pledge made to a partner asks its people about the new amount, in the
// same step (bot.CorrectionNotice).
func (s *Store) CorrectProgress(ctx context.Context, c string, a bot.Actor, n, k int, amount float64, note, reqID string) (bot.Pledge, error) {
	at := s.now().UTC().Truncate(time.Second)
	notice, err := json.Marshal(bot.CorrectionNotice(n, a.ID, s.today(c, at)))
	if err != nil {
		return bot.Pledge{}, err
	}
	call := correctCall{Actor: a, Req: reqID, Pledge: n, Entry: k, Amount: amount, Note: note, At: at,
		Community: c, Notice: string(notice), Number: bot.FormatNumber(amount), Singular: singularArg(amount)}
	res, err := correctEntry.Run(ctx, s.rdb, s.base(c), call.argv()...).Result()
	return s.pledgeWritten(ctx, c, a, res, err)
}

// reopenCall is the argument list of lua/reopen.lua, in one place.
type reopenCall struct {
	Actor  bot.Actor
	Req    string
	Pledge int
	Due    time.Time // zero: keep the pledge's own
	Today  time.Time
	Event  eventJSON
}

func (c reopenCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Pledge, date(c.Due), dueScore(c.Due),
		c.Today.Unix(), c.Event.json, c.Event.at)
}

// ReopenPledge puts a done or lapsed pledge back to active, with a new due
// date when one is given. today is the community's (bot.TodayIn): a pledge
// whose due date has passed there needs a new one.
func (s *Store) ReopenPledge(ctx context.Context, c string, a bot.Actor, n int, due, today time.Time, reqID string) (bot.Pledge, error) {
	var changes map[string]string
	if !due.IsZero() {
		changes = map[string]string{"due": date(due)}
	}
	call := reopenCall{Actor: a, Req: reqID, Pledge: n, Due: due,
		Today: today, Event: s.event(a, bot.EventReopened, 0, "", changes)}
	res, err := reopenPledge.Run(ctx, s.rdb, s.base(c), call.argv()...).Result()
	return s.pledgeWritten(ctx, c, a, res, err)
}

// entryError words the refusals of corrections and reopening.
func entryError(se *scriptError) error {
	first, rest, _ := strings.Cut(se.detail, " ")
	switch se.code {
	case "noentries":
		return bot.StoreErr(bot.Invalid, "correct_no_progress", se.detail)
	case "noentry":
		if count, _ := strconv.Atoi(rest); count == 1 {
			return bot.StoreErr(bot.NotFound, "entry_not_found_one", first)
		}
		return bot.StoreErr(bot.NotFound, "entry_not_found", first, rest)
	case "unchanged":
		return bot.StoreErr(bot.Invalid, "entry_same_amount", se.detail)
	case "notyours":
		return bot.StoreErr(bot.Forbidden, "not_entry_corrector", first, rest)
	case "notclosed":
		if first == bot.StatusActive {
			return bot.StoreErr(bot.Conflict, "pledge_already_active", rest)
		}
		return bot.StoreErr(bot.Conflict, "pledge_withdrawn_reopen", rest)
	case "needdue":
		return bot.StoreErr(bot.Invalid, "reopen_due_passed", se.detail)
	}
	return nil
}
