package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"sort"
	"strings"
	"sync"

	"github.com/pledgebot/pledgebot/bot"
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
	if _, err := s.MigrateShortNames(ctx, c); err != nil {
		return 0, err
	}
	call := migrateMeasuresCall{Release: migrationRelease, RateThemes: rateThemes}
	n, err := migrateMeasures.Run(ctx, s.rdb, s.base(c), call.argv()...).Int()
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
	if _, err := s.MigrateShortNames(ctx, c); err != nil {
		return false, err
	}
	done, err := s.rdb.HExists(ctx, s.key(c, "migrations"), "figures").Result()
	if err = s.fail(err); err != nil || done {
		return false, err
	}
	if err := s.RebuildFigures(ctx, c); err != nil {
		return false, err
	}
	// The pledge writes the audit stream recorded are ledger entries now.
	if _, err := s.scrubAudit(ctx, c, "pledges", ""); err != nil {
		return false, err
	}
	// What the ledger and sums replace: found with SCAN, once, at upgrade.
	old := []string{s.key(c, "totals"), s.key(c, "seq:activity"), s.key(c, "stats-pending")}
	for _, pattern := range []string{"stats:*", "stats-biz:*", "stats-bizhll:*", "activity*"} {
		if err := s.scanKeys(ctx, s.base(c)+pattern, func(k string) { old = append(old, k) }); err != nil {
			return false, err
		}
	}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range old { // one by one: a cluster spreads them over slots
			p.Unlink(ctx, k)
		}
		p.HSet(ctx, s.key(c, "migrations"), "figures", figuresRelease)
		p.HSet(ctx, s.key(c, "migrations"), "vouched", vouchedRelease)                // the rebuild split them
		p.HSet(ctx, s.key(c, "migrations"), "rate-sums", rateSumsRelease)             // and counted the rates
		p.HSet(ctx, s.key(c, "migrations"), "rate-businesses", rateBusinessesRelease) // by business
		p.Unlink(ctx, s.key(c, "rates"))
		return nil
	})
	if err = s.fail(err); err != nil {
		return false, fmt.Errorf("migrating the figures of community %s: %w", c, err)
	}
	return true, nil
}

// vouchedRelease names, in the migrations hash, the release whose sums
// split delivered amounts by who vouches for them (dv, da, dq, xv, xa, xq
// in lua/figures.lua).
const vouchedRelease = "vouched-2026-12"

// MigrateVouched rebuilds a community's figures once (RebuildFigures) so
// that sums written before vouchedRelease split delivered
// amounts too: until then their entries all read as self-reported. It
// reports whether it ran. Run it after MigrateFigures, before the
// community takes writes.
func (s *Store) MigrateVouched(ctx context.Context, c string) (bool, error) {
	if _, err := s.MigrateShortNames(ctx, c); err != nil {
		return false, err
	}
	done, err := s.rdb.HExists(ctx, s.key(c, "migrations"), "vouched").Result()
	if err = s.fail(err); err != nil || done {
		return false, err
	}
	if err := s.RebuildFigures(ctx, c); err != nil {
		return false, err
	}
	// (the rebuild counted the rate pledges too: their index goes)
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Unlink(ctx, s.key(c, "rates"))
		p.HSet(ctx, s.key(c, "migrations"), "vouched", vouchedRelease, "rate-sums", rateSumsRelease,
			"rate-businesses", rateBusinessesRelease)
		return nil
	})
	if err = s.fail(err); err != nil {
		return false, fmt.Errorf("migrating the figures of community %s: %w", c, err)
	}
	return true, nil
}

// rateSumsRelease names, in the migrations hash, the release whose sums
// count rate pledges by the values they hold (rate_kind in
// lua/figures.lua), so a summary reads a rate theme's figures from sums
// instead of an index entry per pledge.
const rateSumsRelease = "rate-sums-2026-12"

// MigrateRateSums rebuilds a community's figures once (RebuildFigures)
// so that the sums written before rateSumsRelease count its rate pledges
// too; a community with none (its rates index is empty) only records it.
// It reports whether it rebuilt. Run it after MigrateVouched, before the
// community takes writes.
func (s *Store) MigrateRateSums(ctx context.Context, c string) (bool, error) {
	mig := s.key(c, "migrations")
	done, err := s.rdb.HExists(ctx, mig, "rate-sums").Result()
	if err = s.fail(err); err != nil || done {
		return false, err
	}
	n, err := s.rdb.HLen(ctx, s.key(c, "rates")).Result()
	if err = s.fail(err); err != nil {
		return false, err
	}
	if n > 0 {
		if err := s.RebuildFigures(ctx, c); err != nil {
			return false, err
		}
	}
	// (the rates index, each rate pledge's values, which summaries read
	// before, goes)
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Unlink(ctx, s.key(c, "rates"))
		p.HSet(ctx, mig, "rate-sums", rateSumsRelease)
		if n > 0 {
			p.HSet(ctx, mig, "rate-businesses", rateBusinessesRelease)
		}
		return nil
	})
	if err = s.fail(err); err != nil {
		return false, fmt.Errorf("migrating the rate figures of community %s: %w", c, err)
	}
	return n > 0, nil
}

// rateBusinessesRelease names, in the migrations hash, the release whose
// sums count a rate theme's businesses, each once at its latest value
// (business_rate_atoms in lua/figures.lua), where earlier ones counted
// each pledge at its own.
const rateBusinessesRelease = "rate-businesses-2026-12"

// MigrateRateBusinesses rebuilds a community's figures once
// (RebuildFigures) when its sums count rate pledges (an rm field in any
// month) as releases before rateBusinessesRelease did, pledge by pledge;
// one without rate pledges only records it. It reports whether it
// rebuilt. Run it after MigrateRateSums, before the community takes
// writes.
func (s *Store) MigrateRateBusinesses(ctx context.Context, c string) (bool, error) {
	mig := s.key(c, "migrations")
	done, err := s.rdb.HExists(ctx, mig, "rate-businesses").Result()
	if err = s.fail(err); err != nil || done {
		return false, err
	}
	rates, err := s.countsRates(ctx, c)
	if err != nil {
		return false, err
	}
	if rates {
		if err := s.RebuildFigures(ctx, c); err != nil {
			return false, err
		}
	}
	if err := s.fail(s.rdb.HSet(ctx, mig, "rate-businesses", rateBusinessesRelease).Err()); err != nil {
		return false, fmt.Errorf("migrating the rate figures of community %s: %w", c, err)
	}
	return rates, nil
}

// countsRates reports whether any month's sums of community c count a
// rate pledge (field rm:THEME, the theme by name or slot).
func (s *Store) countsRates(ctx context.Context, c string) (bool, error) {
	months, err := s.rdb.ZRange(ctx, s.key(c, "months"), 0, -1).Result()
	if err = s.fail(err); err != nil {
		return false, err
	}
	for _, mo := range months {
		fields, err := s.rdb.HKeys(ctx, s.key(c, "sums:"+mo)).Result()
		if err = s.fail(err); err != nil {
			return false, err
		}
		for _, f := range fields {
			if strings.HasPrefix(f, "rm:") {
				return true, nil
			}
		}
	}
	return false, nil
}

// RebuildFigures rebuilds a community's ledger, monthly sums and
// businesses' bits from its pledges (lua/migrate_figures.lua), in batches.
func (s *Store) RebuildFigures(ctx context.Context, c string) error {
	// It drops the sums and reads pledges by their short field names: one
	// not renamed yet would count as no pledge.
	if _, err := s.MigrateShortNames(ctx, c); err != nil {
		return err
	}
	for from := 1; from != 0; {
		call := numberBatch{From: from, Count: figuresBatch}
		next, err := migrateFigures.Run(ctx, s.rdb, s.base(c), call.argv()...).Int()
		if err = s.fail(err); err != nil {
			return fmt.Errorf("rebuilding the figures of community %s: %w", c, err)
		}
		from = next
	}
	return nil
}

// auditBatch bounds the entries one call of the audit migration moves.
const auditBatch = 1000

// MigrateAudit turns a community's audit stream (releases before
// audit-list-2026-12) into the list of short strings that audit in
// lua/prelude.lua appends to, keeping every entry and its id, in bounded
// steps (lua/migrate_audit.lua). A stream reserves a radix tree and
// listpack nodes: about 4.7 KB for a community's 20 entries, where the
// list takes a few hundred bytes. The key's type says whether it is done,
// so it costs one call when it is, and it may run while the community
// takes writes (audit writes to a stream while it is one). The audit's
// readers run it first, and every replica at start-up, so runs overlap:
// each has its own scratch list, named by a token of its own.
func (s *Store) MigrateAudit(ctx context.Context, c string) error {
	token := make([]byte, 8)
	rand.Read(token)
	for cursor := "-"; ; {
		call := migrateAuditCall{Token: hex.EncodeToString(token), Cursor: cursor, Batch: auditBatch}
		next, err := migrateAudit.Run(ctx, s.rdb, s.base(c), call.argv()...).Text()
		if err = s.fail(err); err != nil {
			return fmt.Errorf("migrating the audit of community %s: %w", c, err)
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
}

// migrateAuditCall is the argument list of lua/migrate_audit.lua.
type migrateAuditCall struct {
	Token, Cursor string
	Batch         int
}

func (c migrateAuditCall) argv() []any { return []any{c.Token, c.Cursor, c.Batch} }

// peopleRelease names the people migration in the migrations hash.
const peopleRelease = "people-2026-12"

// migrationsKey is the hash of migrations done across every community.
func (s *Store) migrationsKey() string { return s.prefix + ":migrations" }

// MigratePeople builds, once for the whole keyspace, what data written
// before people's own indexes lacks (people.go, notice_decide in
// lua/prelude.lua): every person's index of the communities they appear
// in, and the pledge:N:once hashes of the notices decided before. It is
// the one SCAN of the keyspace these need, when upgrading: it finds every
// community, the keys that name people (person:WHO, person:WHO:past,
// idem:WHO:DAY, once:lapsed:N:CLOSED:WHO) and the notice decisions; each
// community's records and audit list name the rest (migrate_people.lua).
// When it is through, the hash PREFIX:migrations remembers it (field
// people); a run cut short is done again whole, which is harmless. It
// reports how many index entries it wrote; 0 when it had run.
func (s *Store) MigratePeople(ctx context.Context) (int, error) {
	if s.peopleMigrated.Load() {
		return 0, nil
	}
	done, err := s.rdb.HExists(ctx, s.migrationsKey(), "people").Result()
	if err = s.fail(err); err != nil || done {
		s.peopleMigrated.Store(done)
		return 0, err
	}
	type found struct {
		people  map[string]bool
		notices []any
	}
	byCommunity := map[string]*found{}
	err = s.scanKeys(ctx, s.prefix+":{*", func(k string) {
		c, rest, ok := strings.Cut(strings.TrimPrefix(k, s.prefix+":{"), "}:")
		if !ok {
			return
		}
		f := byCommunity[c]
		if f == nil {
			f = &found{people: map[string]bool{}}
			byCommunity[c] = f
		}
		if who := personOfKey(rest); who != "" {
			f.people[who] = true
		}
		if notice, ok := strings.CutPrefix(rest, "once:"); ok &&
			(strings.HasPrefix(notice, "nudge:") || strings.HasPrefix(notice, "lapsed:")) {
			f.notices = append(f.notices, notice)
		}
	})
	if err != nil {
		return 0, fmt.Errorf("migrating people's indexes: %w", err)
	}
	cs := make([]string, 0, len(byCommunity))
	for c := range byCommunity {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	total := 0
	for _, c := range cs {
		n, err := s.migratePeopleIn(ctx, c, byCommunity[c].people, byCommunity[c].notices)
		total += n
		if err != nil {
			return total, fmt.Errorf("migrating people's indexes in community %s: %w", c, err)
		}
	}
	if err := s.fail(s.rdb.HSet(ctx, s.migrationsKey(), "people", peopleRelease).Err()); err != nil {
		return total, err
	}
	s.peopleMigrated.Store(true)
	return total, nil
}

// communityBucketsRelease names the move of people's indexes into
// buckets in the migrations hash.
const communityBucketsRelease = "communities-buckets-2026-12"

// MigrateCommunityBuckets moves, once for the whole keyspace, people's
// indexes of releases before communityBucketsRelease, one hash
// PREFIX:communities-of:IDENTITY each, into the buckets of people.go, and
// deletes them. It finds them with one SCAN, at upgrade; a run cut short
// is done again, which is harmless (an entry moved twice is one field).
// It reports how many entries it moved; 0 when it had run.
func (s *Store) MigrateCommunityBuckets(ctx context.Context) (int, error) {
	if s.bucketsMigrated.Load() {
		return 0, nil
	}
	done, err := s.rdb.HExists(ctx, s.migrationsKey(), "communities-buckets").Result()
	if err = s.fail(err); err != nil || done {
		s.bucketsMigrated.Store(done)
		return 0, err
	}
	var old []string
	err = s.scanKeys(ctx, s.prefix+":communities-of:*", func(k string) {
		// a bucket's name is two hex digits; a person's holds colons
		if strings.Contains(strings.TrimPrefix(k, s.prefix+":communities-of:"), ":") {
			old = append(old, k)
		}
	})
	if err != nil {
		return 0, fmt.Errorf("moving people's indexes into buckets: %w", err)
	}
	sort.Strings(old)
	moved := 0
	for rest := old; len(rest) > 0; {
		batch := rest[:min(len(rest), 1000)]
		rest = rest[len(batch):]
		cmds, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range batch {
				p.HKeys(ctx, k)
			}
			return nil
		})
		if err = s.fail(err); err != nil {
			return moved, fmt.Errorf("moving people's indexes into buckets: %w", err)
		}
		_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range batch {
				who := strings.TrimPrefix(k, s.prefix+":communities-of:")
				for _, c := range cmds[i].(*redis.StringSliceCmd).Val() {
					p.HSet(ctx, s.communitiesOfKey(who), communityEntry(who, c), "")
					moved++
				}
				p.Unlink(ctx, k) // after its entries: a pipeline keeps the order
			}
			return nil
		})
		if err = s.fail(err); err != nil {
			return moved, fmt.Errorf("moving people's indexes into buckets: %w", err)
		}
	}
	if err := s.fail(s.rdb.HSet(ctx, s.migrationsKey(), "communities-buckets", communityBucketsRelease).Err()); err != nil {
		return moved, err
	}
	s.bucketsMigrated.Store(true)
	return moved, nil
}

// personOfKey is the person a community key's name holds, or "".
func personOfKey(rest string) string {
	var who string
	switch {
	case strings.HasPrefix(rest, "person:"): // person:WHO, person:WHO:past
		if parts := strings.Split(rest, ":"); len(parts) >= 4 {
			who = strings.Join(parts[1:4], ":")
		}
	case strings.HasPrefix(rest, "idem:"):
		who = strings.TrimPrefix(rest, "idem:")
		if i := strings.LastIndexByte(who, ':'); i >= 0 {
			who = who[:i]
		}
	case strings.HasPrefix(rest, "once:lapsed:"): // once:lapsed:N:CLOSED:WHO
		if parts := strings.SplitN(rest, ":", 5); len(parts) == 5 {
			who = parts[4]
		}
	}
	if _, err := bot.ParseIdentity(who); err != nil {
		return ""
	}
	return who
}

// migratePeopleIn migrates one community: its notice decisions, then the
// indexes of the people its keys, records and audit entries name.
func (s *Store) migratePeopleIn(ctx context.Context, c string, people map[string]bool, notices []any) (int, error) {
	// (It reads businesses' people as fields of business:N.)
	if _, err := s.MigrateMembers(ctx, c); err != nil {
		return 0, err
	}
	// Notices in bounded batches, so that no call holds Redis long; the
	// last call names the people.
	for first := true; first || len(notices) > 0; first = false {
		batch := notices[:min(len(notices), 1000)]
		notices = notices[len(batch):]
		names := flag(len(notices) == 0)
		call := migratePeopleCall{Release: peopleRelease, Names: names, Notices: batch}
		named, err := migratePeople.Run(ctx, s.rdb, s.base(c), call.argv()...).StringSlice()
		if err = s.fail(err); err != nil {
			return 0, err
		}
		for _, who := range named {
			people[who] = true
		}
	}
	// (It reads the audit as a list.)
	if err := s.MigrateAudit(ctx, c); err != nil {
		return 0, err
	}
	for start := int64(0); ; start += 1000 {
		raw, err := s.rdb.LRange(ctx, s.key(c, "audit"), start, start+999).Result()
		if err = s.fail(err); err != nil {
			return 0, err
		}
		for _, r := range raw {
			if e, ok := decodeAudit(r); ok && e.By != "" {
				people[e.By] = true
			}
		}
		if len(raw) < 1000 {
			break
		}
	}
	var list []string
	for who := range people {
		if _, err := bot.ParseIdentity(who); err == nil {
			list = append(list, who)
		}
	}
	sort.Strings(list)
	for rest := list; len(rest) > 0; {
		batch := rest[:min(len(rest), 1000)]
		rest = rest[len(batch):]
		_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, who := range batch {
				p.HSet(ctx, s.communitiesOfKey(who), communityEntry(who, c), "")
			}
			return nil
		})
		if err = s.fail(err); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}

// scanKeys calls each with every key matching pattern, one at a time
// (never at once from two goroutines), from SCAN on every primary of a
// cluster: incremental, so Redis keeps serving meanwhile (a SCAN inside a
// script would block it for the whole keyspace).
func (s *Store) scanKeys(ctx context.Context, pattern string, each func(key string)) error {
	var mu sync.Mutex
	scan := func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			each(iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	var err error
	switch c := s.rdb.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, scan)
	case *redis.Client:
		err = scan(ctx, c)
	}
	return s.fail(err)
}

// needsMetRelease names, in the migrations hash (field needs-met), the
// release from which needs keep met_at (need_met in lua/figures.lua).
const needsMetRelease = "needs-met-2026-12"

// MigrateNeedsMet dates, once, the needs met before needsMetRelease
// (lua/migrate_needs_met.lua): without met_at the next write to one of
// their pledges would date them then, and the digest would list them as
// met that week. It reports how many needs it dated; 0 when it had run.
// Run it after MigrateFigures: it reads the pledges' ledger entries.
func (s *Store) MigrateNeedsMet(ctx context.Context, c string) (int, error) {
	return s.dateNeedsMet(ctx, c, needsMetRelease)
}

// RepairNeedsMet dates the met needs that have no met_at, as
// MigrateNeedsMet does, whether it ran or not (pledgebot rebuild-figures).
func (s *Store) RepairNeedsMet(ctx context.Context, c string) (int, error) {
	return s.dateNeedsMet(ctx, c, "")
}

func (s *Store) dateNeedsMet(ctx context.Context, c, release string) (int, error) {
	if _, err := s.MigrateShortNames(ctx, c); err != nil {
		return 0, err
	}
	call := migrateNeedsMetCall{Release: release}
	n, err := migrateNeedsMet.Run(ctx, s.rdb, s.base(c), call.argv()...).Int()
	if err = s.fail(err); err != nil {
		return 0, fmt.Errorf("dating the met needs of community %s: %w", c, err)
	}
	return max(n, 0), nil
}

// shortRelease names, in the migrations hash (field short), the release
// from which pledge hashes store short field names (pledge_short in
// lua/prelude.lua).
const shortRelease = "short-names-2026-12"

// MigrateShortNames renames, once per community, the fields of pledge
// hashes written before shortRelease (lua/migrate_short_names.lua), in
// batches like RebuildFigures, after MigrateMembers. Every script reads the
// short names and the folded people, so the other migrations, which read
// pledges through scripts, run it first; it
// reports how many pledges changed, 0 when it had run. Run it before the
// community takes writes: a write to a pledge not yet renamed would leave
// it with both names.
func (s *Store) MigrateShortNames(ctx context.Context, c string) (int, error) {
	// (Scripts read businesses' people as fields of business:N too.)
	if _, err := s.MigrateMembers(ctx, c); err != nil {
		return 0, err
	}
	done, err := s.rdb.HExists(ctx, s.key(c, "migrations"), "short").Result()
	if err = s.fail(err); err != nil {
		return 0, err
	}
	total := 0
	for from := 1; !done && from != 0; {
		call := numberBatch{From: from, Count: figuresBatch}
		r, err := migrateShort.Run(ctx, s.rdb, s.base(c), call.argv()...).Int64Slice()
		if err = s.fail(err); err != nil {
			return total, fmt.Errorf("renaming the pledge fields of community %s: %w", c, err)
		}
		from, total = int(r[0]), total+int(r[1])
	}
	if !done {
		if err := s.fail(s.rdb.HSet(ctx, s.key(c, "migrations"), "short", shortRelease).Err()); err != nil {
			return total, fmt.Errorf("renaming the pledge fields of community %s: %w", c, err)
		}
	}
	return total, nil
}

// personsRelease names, in the migrations hash (field persons), the
// release from which the people a pledge's and a business's created_by
// and a business's fields '@', '^', '~' name are stored by their number in
// the community (person_number, folded_name in lua/prelude.lua) instead of
// their identity. (persons-2026-12 numbered pledges only: a community
// marked with it is migrated again, which finds the businesses.)
const personsRelease = "persons-business-2026-12"

// MigratePersons numbers, once per community, the people that pledges and
// businesses written before personsRelease name (lua/migrate_persons.lua),
// in batches like MigrateShortNames, which it runs first (it reads the
// short name w). It reports how many pledges and businesses changed, 0
// when it had run. Scripts read an identity still stored as before, so a
// record written meanwhile by an older replica reads right; a later run
// numbers it.
func (s *Store) MigratePersons(ctx context.Context, c string) (int, error) {
	if _, err := s.MigrateShortNames(ctx, c); err != nil {
		return 0, err
	}
	done, err := s.rdb.HGet(ctx, s.key(c, "migrations"), "persons").Result()
	if err == redis.Nil {
		err = nil
	}
	if err = s.fail(err); err != nil || done == personsRelease {
		return 0, err
	}
	total, err := s.numberedBatches(ctx, c, migratePersons, "numbering the people")
	if err != nil {
		return total, err
	}
	if err := s.fail(s.rdb.HSet(ctx, s.key(c, "migrations"), "persons", personsRelease).Err()); err != nil {
		return total, fmt.Errorf("numbering the people of community %s: %w", c, err)
	}
	return total, nil
}

// packedRelease names, in the migrations hash (field packed), the
// release from which pledges are packed: one string each in a bucket hash
// pledges:B instead of a hash pledge:N (lua/prelude.lua, pledge_load).
const packedRelease = "packed-2026-12"

// MigratePacked packs, once per community, the pledge hashes written
// before packedRelease (lua/migrate_pack.lua), in batches like
// RebuildFigures. Scripts pack a pledge hash they meet on the way, so it
// only frees memory, and may run while the community takes writes from
// this release (not from one before: a hash an older release writes after
// its pledge was packed is left, and not read). It reports how many
// pledges it packed; 0 when it had run.
func (s *Store) MigratePacked(ctx context.Context, c string) (int, error) {
	done, err := s.rdb.HExists(ctx, s.key(c, "migrations"), "packed").Result()
	if err = s.fail(err); err != nil || done {
		return 0, err
	}
	total, err := s.numberedBatches(ctx, c, migratePack, "packing the pledges")
	if err != nil {
		return total, err
	}
	if err := s.fail(s.rdb.HSet(ctx, s.key(c, "migrations"), "packed", packedRelease).Err()); err != nil {
		return total, fmt.Errorf("packing the pledges of community %s: %w", c, err)
	}
	return total, nil
}

// bareNotesRelease names, in the migrations hash (field bare-notes), the
// release from which a ledger entry keeps a note alone without its JSON
// (bare_note in lua/figures.lua).
const bareNotesRelease = "bare-notes-2026-12"

// MigrateBareNotes rewrites, once per community, the ledger entries
// written before bareNotesRelease whose extra is a note alone, a month per
// call (lua/migrate_bare_notes.lua). Both forms read alike, so it only
// frees memory, and may run while the community takes writes. It reports
// how many entries changed; 0 when it had run.
func (s *Store) MigrateBareNotes(ctx context.Context, c string) (int, error) {
	done, err := s.rdb.HExists(ctx, s.key(c, "migrations"), "bare-notes").Result()
	if err = s.fail(err); err != nil || done {
		return 0, err
	}
	months, err := s.rdb.ZRange(ctx, s.key(c, "months"), 0, -1).Result()
	if err = s.fail(err); err != nil {
		return 0, err
	}
	total := 0
	for _, mo := range months {
		call := migrateNotesCall{Month: mo}
		n, err := migrateNotes.Run(ctx, s.rdb, s.base(c), call.argv()...).Int()
		if err = s.fail(err); err != nil {
			return total, fmt.Errorf("rewriting the notes of community %s: %w", c, err)
		}
		total += n
	}
	if err := s.fail(s.rdb.HSet(ctx, s.key(c, "migrations"), "bare-notes", bareNotesRelease).Err()); err != nil {
		return total, fmt.Errorf("rewriting the notes of community %s: %w", c, err)
	}
	return total, nil
}

// MigrateUpdated moves the zset updated of releases before (one for all
// of a community's active pledges) into the buckets of 128 pledges that
// scripts keep now (updated_key in lua/prelude.lua), in batches of 1,000
// (lua/migrate_updated.lua). It needs no mark in the migrations hash: once
// updated is gone, a call costs one script that finds it empty. It reports
// how many pledges it moved. It renames pledge fields first
// (MigrateShortNames), as it reads pledges' status by the short name. Run
// it before the nudge sweeps: until then they miss the pledges not yet
// moved.
func (s *Store) MigrateUpdated(ctx context.Context, c string) (int, error) {
	if _, err := s.MigrateShortNames(ctx, c); err != nil {
		return 0, err
	}
	before, err := s.rdb.ZCard(ctx, s.key(c, "updated")).Result()
	if err = s.fail(err); err != nil || before == 0 {
		return 0, err
	}
	for left := before; left > 0; {
		call := migrateUpdatedCall{Count: 1000}
		left, err = migrateUpdated.Run(ctx, s.rdb, s.base(c), call.argv()...).Int64()
		if err = s.fail(err); err != nil {
			return 0, fmt.Errorf("moving the updated index of community %s: %w", c, err)
		}
	}
	return int(before), nil
}

// MigrateIndexBuckets moves the zsets due and business-seen of releases
// before (one for all of a community's pledges, or businesses) into the
// buckets of 128 that scripts keep now (due_key and seen_key in
// lua/prelude.lua), in batches of 1,000, and drops the index businesses,
// which nothing reads any more (lua/migrate_buckets.lua). Like
// MigrateUpdated it needs no mark: once the old zsets are gone, a call
// costs a ZCARD each. It reports how many entries it moved. It renames
// pledge fields first (MigrateShortNames), as it reads pledges' status and
// due date by the short names. Run it before the digest and the lapse and
// nudge jobs: until then they miss the entries not yet moved.
func (s *Store) MigrateIndexBuckets(ctx context.Context, c string) (int, error) {
	if _, err := s.MigrateShortNames(ctx, c); err != nil {
		return 0, err
	}
	total := 0
	for _, name := range []string{"due", "business-seen"} {
		before, err := s.rdb.ZCard(ctx, s.key(c, name)).Result()
		if err = s.fail(err); err != nil {
			return total, err
		}
		for left := before; left > 0; {
			call := migrateBucketsCall{Count: 1000, Index: name}
			left, err = migrateBuckets.Run(ctx, s.rdb, s.base(c), call.argv()...).Int64()
			if err = s.fail(err); err != nil {
				return total, fmt.Errorf("moving the %s index of community %s: %w", name, c, err)
			}
		}
		total += int(before)
	}
	if err := s.fail(s.rdb.Del(ctx, s.key(c, "businesses")).Err()); err != nil {
		return total, err
	}
	return total, nil
}

// membersRelease names, in the migrations hash (field members), the
// release from which a business's people and pledges are fields of its
// hash business:N (folded_call in lua/prelude.lua), a person's indexes
// fields of the hash people (person_members), and the pledges people wrote
// about as no member of their business are in their index 'wrote'
// (note_writer in lua/figures.lua). (members-2026-12,
// members-pledges-2026-12 and members-people-2026-12 did less: a community
// marked with one is migrated again, which finds what they left.)
const membersRelease = "members-wrote-2026-12"

// MigrateMembers moves, once per community, the people and pledges of
// businesses written before membersRelease from business:N:members,
// :joined, :past and :pledges into fields of business:N, then the person
// keys person:WHO, :past, :partners and :needs into fields of people
// (lua/migrate_person_keys.lua), and indexes who wrote about pledges of
// businesses they are not in (lua/migrate_wrote.lua, one walk of the
// ledger, so that erasures never walk it) (lua/migrate_members.lua), in batches like
// MigrateShortNames, which runs it first: scripts read only the fields. It
// reports how many businesses changed, 0 when it had run. Run it before the
// community takes writes: a member added meanwhile to a business not yet
// moved would be kept, but one removed could come back.
func (s *Store) MigrateMembers(ctx context.Context, c string) (int, error) {
	done, err := s.rdb.HGet(ctx, s.key(c, "migrations"), "members").Result()
	if err == redis.Nil {
		err = nil
	}
	if err = s.fail(err); err != nil || done == membersRelease {
		return 0, err
	}
	total, err := s.numberedBatches(ctx, c, migrateMembers, "moving the business members")
	if err != nil {
		return total, err
	}
	// Then the person keys, found through the businesses' people (moved
	// above), the partners' members and the needs' authors.
	for _, kind := range []string{"business", "partner", "need"} {
		for from := 1; from != 0; {
			keys := migratePersonKeysCall{Kind: kind, From: from, Count: figuresBatch}
			r, err := migratePersonKeys.Run(ctx, s.rdb, s.base(c), keys.argv()...).Int64Slice()
			if err = s.fail(err); err != nil {
				return total, fmt.Errorf("moving the person keys of community %s: %w", c, err)
			}
			from = int(r[0])
		}
	}
	// Then the writers' index, from the ledger's entries, a month a call.
	months, err := s.rdb.ZRange(ctx, s.key(c, "months"), 0, -1).Result()
	if err = s.fail(err); err != nil {
		return total, err
	}
	for _, mo := range months {
		wrote := migrateWroteCall{Month: mo}
		if err := s.fail(migrateWrote.Run(ctx, s.rdb, s.base(c), wrote.argv()...).Err()); err != nil {
			return total, fmt.Errorf("indexing the writers of community %s, %s: %w", c, mo, err)
		}
	}
	if err := s.fail(s.rdb.HSet(ctx, s.key(c, "migrations"), "members", membersRelease).Err()); err != nil {
		return total, fmt.Errorf("moving the business members of community %s: %w", c, err)
	}
	return total, nil
}

// numberBatch is the argument list of the migrations that walk records by
// number, lua/migrate_figures.lua, migrate_short_names.lua,
// migrate_members.lua and migrate_persons.lua, whose headers are the same.
type numberBatch struct {
	From  int // the first number
	Count int // how many
}

func (c numberBatch) argv() []any { return []any{c.From, c.Count} }

// migrateMeasuresCall is the argument list of lua/migrate_measures.lua.
type migrateMeasuresCall struct {
	Release    string
	RateThemes []string
}

func (c migrateMeasuresCall) argv() []any {
	args := []any{c.Release}
	for _, t := range c.RateThemes {
		args = append(args, t)
	}
	return args
}

// migratePeopleCall is the argument list of lua/migrate_people.lua.
type migratePeopleCall struct {
	Release string
	Names   string // flag: '1' to name the people
	Notices []any  // notice keys
}

func (c migratePeopleCall) argv() []any { return append([]any{c.Release, c.Names}, c.Notices...) }

// migrateNeedsMetCall is the argument list of lua/migrate_needs_met.lua.
type migrateNeedsMetCall struct {
	Release string
}

func (c migrateNeedsMetCall) argv() []any { return []any{c.Release} }

// migrateNotesCall is the argument list of lua/migrate_bare_notes.lua.
type migrateNotesCall struct {
	Month string // YYYY-MM
}

func (c migrateNotesCall) argv() []any { return []any{c.Month} }

// migrateUpdatedCall is the argument list of lua/migrate_updated.lua.
type migrateUpdatedCall struct {
	Count int
}

func (c migrateUpdatedCall) argv() []any { return []any{c.Count} }

// migrateBucketsCall is the argument list of lua/migrate_buckets.lua.
type migrateBucketsCall struct {
	Count int
	Index string // "due" or "business-seen"
}

func (c migrateBucketsCall) argv() []any { return []any{c.Count, c.Index} }

// migratePersonKeysCall is the argument list of lua/migrate_person_keys.lua.
type migratePersonKeysCall struct {
	Kind        string // business, partner or need
	From, Count int
}

func (c migratePersonKeysCall) argv() []any { return []any{c.Kind, c.From, c.Count} }

// migrateWroteCall is the argument list of lua/migrate_wrote.lua.
type migrateWroteCall struct {
	Month string // YYYY-MM
}

func (c migrateWroteCall) argv() []any { return []any{c.Month} }

// monthBitsRelease names, in the migrations hash (field month-bits), the
// release from which a month's business bits are fields of its sums.
const monthBitsRelease = "monthly-bits-2026-12"

// MigrateMonthBits moves, once per community, each month's business bits
// from the keys bizbits:MONTH and bizthemes:MONTH into fields of
// sums:MONTH (mark_bits in lua/figures.lua), a month per call
// (lua/migrate_month_bits.lua): two keys a month fewer, most of a small
// community's cost for them. It reports how many months it moved; 0 when
// it had run. Run it before the community's summaries: until then they
// count only the businesses written since the upgrade.
func (s *Store) MigrateMonthBits(ctx context.Context, c string) (int, error) {
	done, err := s.rdb.HExists(ctx, s.key(c, "migrations"), "month-bits").Result()
	if err = s.fail(err); err != nil || done {
		return 0, err
	}
	months, err := s.rdb.ZRange(ctx, s.key(c, "months"), 0, -1).Result()
	if err = s.fail(err); err != nil {
		return 0, err
	}
	total := 0
	for _, mo := range months {
		call := migrateMonthBitsCall{Month: mo}
		n, err := migrateMonthBits.Run(ctx, s.rdb, s.base(c), call.argv()...).Int()
		if err = s.fail(err); err != nil {
			return total, fmt.Errorf("moving the business bits of community %s: %w", c, err)
		}
		total += n
	}
	if err := s.fail(s.rdb.HSet(ctx, s.key(c, "migrations"), "month-bits", monthBitsRelease).Err()); err != nil {
		return total, fmt.Errorf("moving the business bits of community %s: %w", c, err)
	}
	return total, nil
}

// migrateMonthBitsCall is the argument list of lua/migrate_month_bits.lua.
type migrateMonthBitsCall struct {
	Month string
}

func (c migrateMonthBitsCall) argv() []any { return []any{c.Month} }

// numberedBatches runs a migration script over a community's records
// numbered from 1, figuresBatch a call (numberBatch; the script answers
// the next number, 0 when done, and how many it changed), and reports how
// many changed in all.
func (s *Store) numberedBatches(ctx context.Context, c string, sc *luaScript, what string) (int, error) {
	total := 0
	for from := 1; from != 0; {
		call := numberBatch{From: from, Count: figuresBatch}
		r, err := sc.Run(ctx, s.rdb, s.base(c), call.argv()...).Int64Slice()
		if err = s.fail(err); err != nil {
			return total, fmt.Errorf("%s of community %s: %w", what, c, err)
		}
		from, total = int(r[0]), total+int(r[1])
	}
	return total, nil
}
