package store

import (
	"context"
	"encoding/json"
	"fmt"

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
	res, err := replyEntry.Run(ctx, s.rdb, []string{s.base(c)}, args...).Slice()
	if err = s.fail(err); err != nil {
		if se, ok := err.(*scriptError); ok {
			if e := checkError(se); e != nil {
				return bot.Pledge{}, 0, e
			}
		}
		return bot.Pledge{}, 0, pledgeError(err)
	}
	if len(res) != 2 {
		return bot.Pledge{}, 0, fmt.Errorf("store: unexpected reply reply of %d parts", len(res))
	}
	p, err := decodeRow(res[0])
	k2, _ := res[1].(int64)
	return p, int(k2), err
}
