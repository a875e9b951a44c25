package store

import (
	"context"
	"fmt"
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
