package store

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// confirmCall is the argument list of lua/confirm.lua, in one place.
type confirmCall struct {
	Actor     string // the actor's identity key, or "link:N" for a confirm link's visitor
	Admin     string // actorArgs' cfgadmin flag
	Req       string // reqKey of the request id
	Pledge    int
	Op        string // "confirm" or "query"
	Entry     int
	Note      string
	Now       int64
	Community string
	Reply     string // a query's notice to the owners, a bot.Reply in JSON ("{}" for a confirmation)
	Who       string // what the history names for a link visitor ("" for a person)
	Partner   int
	Gen       string // the visitor's link generation ("" for a person)
}

func (c confirmCall) argv() []any {
	return []any{c.Actor, c.Admin, c.Req, c.Pledge, c.Op, c.Entry, c.Note, c.Now, c.Community, c.Reply, c.Who, c.Partner, c.Gen}
}

// newConfirmCall is confirm.lua's call for ce by a in community c.
func newConfirmCall(ce bot.CheckEntry, c string, a bot.Actor, req string, now int64) (confirmCall, error) {
	call := confirmCall{Op: "confirm", Reply: "{}", Pledge: ce.Pledge, Entry: ce.Entry, Note: ce.Note, Now: now,
		Community: c, Partner: ce.Partner}
	if ce.Query {
		reply, err := json.Marshal(ce.Notice)
		if err != nil {
			return call, err
		}
		call.Op, call.Reply = "query", string(reply)
	}
	call.Actor, call.Admin, call.Req = a.ID.Key(), flag(a.Admin), reqKey(req) // as actorArgs
	if strings.ContainsAny(ce.Visitor, "|\r\n") {
		return call, bot.StoreErr(bot.Invalid, "name_has_separator") // the ledger's separators
	}
	if ce.Visitor != "" {
		// A link visitor's request records are the pledge's, not a person's.
		call.Actor, call.Who = "link:"+strconv.Itoa(ce.Pledge), bot.LinkVisitor(ce.Visitor)
		call.Gen = strconv.Itoa(ce.LinkGen)
	}
	return call, nil
}

// CheckEntry records a partner's member confirming or querying a progress
// entry, and for a query tells the business's owners through the outbox,
// in one step. It returns the pledge and the entry's number.
func (s *Store) CheckEntry(ctx context.Context, c string, a bot.Actor, ce bot.CheckEntry, reqID string) (bot.Pledge, int, error) {
	call, err := newConfirmCall(ce, c, a, reqID, s.now().Unix())
	if err != nil {
		return bot.Pledge{}, 0, err
	}
	p, k, err := s.entryWritten(confirmEntry.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice())
	if err == nil && ce.Visitor == "" {
		s.appear(ctx, c, a.ID)
	}
	return p, k, err
}

// entryWritten reads what a script about one progress entry (confirm.lua,
// reply.lua) answers: the pledge and the entry's number, or a refusal.
func (s *Store) entryWritten(res []any, err error) (bot.Pledge, int, error) {
	if err = s.fail(err); err != nil {
		if se, ok := err.(*scriptError); ok {
			if e := checkError(se); e != nil {
				return bot.Pledge{}, 0, e
			}
		}
		return bot.Pledge{}, 0, pledgeError(err)
	}
	if len(res) != 2 {
		return bot.Pledge{}, 0, fmt.Errorf("store: unexpected reply of %d parts about an entry", len(res))
	}
	p, err := decodeRow(res[0])
	k, _ := res[1].(int64)
	return p, int(k), err
}

// checkError words the refusals of confirmations and queries.
func checkError(se *scriptError) error {
	first, rest, _ := strings.Cut(se.detail, " ")
	switch se.code {
	case "nopartner":
		return bot.StoreErr(bot.Invalid, "confirm_no_partner", se.detail)
	case "linkpartner":
		return bot.StoreErr(bot.Forbidden, "link_partner_changed", se.detail)
	case "linkrevoked":
		return bot.StoreErr(bot.Forbidden, "link_revoked", se.detail)
	case "notpartner":
		return bot.StoreErr(bot.Forbidden, "not_partner_confirm", rest, first)
	case "noentries":
		return bot.StoreErr(bot.Invalid, "confirm_no_progress", se.detail)
	case "struck":
		return bot.StoreErr(bot.Invalid, "entry_struck", se.detail)
	case "already":
		if rest == "query" {
			return bot.StoreErr(bot.Conflict, "entry_queried", first)
		}
		return bot.StoreErr(bot.Conflict, "entry_confirmed", first)
	}
	return nil
}

var checkRe = regexp.MustCompile(`(\d+)([cq])`)

// decodeChecks reads a pledge's field cf ("1c3q": entry 1 confirmed, 3
// queried; lua/figures.lua entry_states).
func decodeChecks(cf string) map[int]string {
	if cf == "" {
		return nil
	}
	out := map[int]string{}
	for _, m := range checkRe.FindAllStringSubmatch(cf, -1) {
		k, _ := strconv.Atoi(m[1])
		out[k] = m[2]
	}
	return out
}
