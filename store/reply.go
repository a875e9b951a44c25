package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// ReplyEntry records a business's answer about a progress entry of a
// pledge made to a partner, and tells the partner's people through the
// outbox (notice, with bot.EntryPlaceholder for the entry's number), in
// one step. It returns the pledge and the entry's number.
func (s *Store) ReplyEntry(ctx context.Context, c string, a bot.Actor, n, k int, note string, notice bot.Reply, reqID string) (bot.Pledge, int, error) {
	b, err := json.Marshal(notice)
	if err != nil {
		return bot.Pledge{}, 0, err
	}
	call := replyCall{Actor: a, Req: reqID, Pledge: n, Entry: k, Note: note, Now: s.now(), Community: c, Notice: string(b)}
	return s.entryWritten(replyEntry.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice())
}

// replyCall is the argument list of lua/reply.lua.
type replyCall struct {
	Actor     bot.Actor
	Req       string
	Pledge    int
	Entry     int
	Note      string
	Now       time.Time
	Community string
	Notice    string // the partner's people's notice, a bot.Reply in JSON
}

func (c replyCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Pledge, c.Entry, c.Note, c.Now.Unix(), c.Community, c.Notice)
}
