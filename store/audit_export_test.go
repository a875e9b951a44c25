package store

import "context"

// AuditScrubStep gives tests one step at a time of scrubAudit's rewrite
// (lua/audit_scrub.lua), under one run token, so that they can change
// the audit between two steps.
func AuditScrubStep(s *Store) func(ctx context.Context, c, cursor, mode, value string) (string, int, error) {
	const token = "0123456789abcdef"
	return func(ctx context.Context, c, cursor, mode, value string) (string, int, error) {
		call := auditScrubCall{Token: token, Cursor: cursor, Mode: mode, Value: value, Batch: auditScrubBatch}
		res, err := auditScrub.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
		if err = s.fail(err); err != nil {
			return "", 0, err
		}
		next, _ := res[0].(string)
		n, _ := res[1].(int64)
		return next, int(n), nil
	}
}
