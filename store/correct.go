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
	res, err := correctEntry.Run(ctx, s.rdb, []string{s.base(c)}, call.argv()...).Result()
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
	res, err := reopenPledge.Run(ctx, s.rdb, []string{s.base(c)}, call.argv()...).Result()
	return s.pledgeWritten(ctx, c, a, res, err)
}

// entryError words the refusals of corrections and reopening.
func entryError(se *scriptError) error {
	first, rest, _ := strings.Cut(se.detail, " ")
	switch se.code {
	case "noentries":
		return bot.Errorf(bot.Invalid, "Pledge #%s has no progress logged, so there is nothing to correct.", se.detail)
	case "noentry":
		if count, _ := strconv.Atoi(rest); count == 1 {
			return bot.Errorf(bot.NotFound, "Pledge has one progress entry; entry:%s is not one. /pledge show lists them.", first)
		}
		return bot.Errorf(bot.NotFound, "Entry %s is not one of the pledge's %s progress entries. /pledge show numbers them.", first, rest)
	case "unchanged":
		return bot.Errorf(bot.Invalid, "Entry %s already has that amount; nothing changed.", se.detail)
	case "notyours":
		return bot.Errorf(bot.Forbidden, "Only the person who logged entry %s of pledge #%s, the business's owners or an admin can correct it.", first, rest)
	case "notclosed":
		if first == bot.StatusActive {
			return bot.Errorf(bot.Conflict, "Pledge #%s is already active.", rest)
		}
		return bot.Errorf(bot.Conflict, "Pledge #%s was withdrawn, so it can't be reopened: make a new pledge instead.", rest)
	case "needdue":
		return bot.Errorf(bot.Invalid, "Its due date (%s) has passed: reopen it with a new one from today on, e.g. due:31/03/2027 or due:end of month.", se.detail)
	}
	return nil
}
