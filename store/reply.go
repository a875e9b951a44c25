package store

import (
	"context"
	"encoding/json"

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
	args := append(actorArgs(a, reqKey(reqID)), n, k, note, s.now().Unix(), c, string(b))
	return s.entryWritten(replyEntry.Run(ctx, s.rdb, s.base(c), args...).Slice())
}
