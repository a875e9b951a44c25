package store

import "context"

// Told takes lapsed pledges off the list whose owners the nudge sweep
// tells (lapse.lua adds them): each owner was told or had their chance.
func (s *Store) Told(ctx context.Context, c string, ns []int) error {
	if len(ns) == 0 {
		return nil
	}
	members := make([]any, len(ns))
	for i, n := range ns {
		members[i] = n
	}
	return s.fail(s.rdb.SRem(ctx, s.key(c, "lapse-untold"), members...).Err())
}
