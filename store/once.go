package store

import (
	"context"
	"time"
)

// Once reports whether id is seen for the first time in a community, and
// remembers it for ttl. It is one SET NX EX, so several bot replicas sharing
// one Redis agree on which of them handles a retried platform delivery
// (Slack event_id, trigger_id).
func (s *Store) Once(ctx context.Context, community, id string, ttl time.Duration) (bool, error) {
	first, err := s.rdb.SetNX(ctx, s.key(community, "once", reqKey(id)), "1", ttl).Result()
	if err != nil {
		return false, s.fail(err)
	}
	return first, nil
}
