package store

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// migrationRelease names this migration in each community's migrations
// hash.
const migrationRelease = "measures-2026-12"

// MigrateMeasures brings a community's data written before themes had
// measures up to date, once: pledges of the rate themes named become
// rate pledges whose progress is their latest report (they summed
// percentages). It reports how many pledges changed; 0 when it had run.
func (s *Store) MigrateMeasures(ctx context.Context, c string, rateThemes []string) (int, error) {
	args := []any{migrationRelease}
	for _, t := range rateThemes {
		args = append(args, t)
	}
	n, err := migrateMeasures.Run(ctx, s.rdb, []string{s.base(c)}, args...).Int()
	if err = s.fail(err); err != nil {
		return 0, fmt.Errorf("migrating community %s: %w", c, err)
	}
	return max(n, 0), nil
}

// figuresRelease names the figures migration in the migrations hash.
const figuresRelease = "figures-2026-12"

// figuresBatch bounds the pledges one call of the rebuild walks, so Redis
// keeps serving other communities meanwhile (about 20 ms a batch).
const figuresBatch = 1000

// MigrateFigures replaces a community's per-day counters and activity
// lists (releases before figures-2026-12) with the ledger and monthly sums
// of lua/figures.lua, rebuilt from its pledges and their histories, once;
// RebuildFigures does the rebuild alone. It reports whether it ran. Run
// it before the community takes writes: pledges written while it runs may
// be counted twice or not at all until the next rebuild.
func (s *Store) MigrateFigures(ctx context.Context, c string) (bool, error) {
	done, err := s.rdb.HExists(ctx, s.key(c, "migrations"), "figures").Result()
	if err = s.fail(err); err != nil || done {
		return false, err
	}
	if err := s.RebuildFigures(ctx, c); err != nil {
		return false, err
	}
	// What the ledger and sums replace: found with SCAN, once, at upgrade.
	old := []string{s.key(c, "totals"), s.key(c, "seq:activity"), s.key(c, "stats-pending")}
	for _, pattern := range []string{"stats:*", "stats-biz:*", "stats-bizhll:*", "activity*"} {
		keys, err := s.scanKeys(ctx, s.base(c)+pattern)
		if err != nil {
			return false, err
		}
		old = append(old, keys...)
	}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range old { // one by one: a cluster spreads them over slots
			p.Unlink(ctx, k)
		}
		p.HSet(ctx, s.key(c, "migrations"), "figures", figuresRelease)
		return nil
	})
	if err = s.fail(err); err != nil {
		return false, fmt.Errorf("migrating the figures of community %s: %w", c, err)
	}
	return true, nil
}

// RebuildFigures rebuilds a community's ledger, monthly sums and
// businesses' bits from its pledges (lua/migrate_figures.lua), in batches.
func (s *Store) RebuildFigures(ctx context.Context, c string) error {
	for from := 1; from != 0; {
		next, err := migrateFigures.Run(ctx, s.rdb, []string{s.base(c)}, from, figuresBatch).Int()
		if err = s.fail(err); err != nil {
			return fmt.Errorf("rebuilding the figures of community %s: %w", c, err)
		}
		from = next
	}
	return nil
}
