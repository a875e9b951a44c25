package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// Store implements bot.Store on Redis.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time
	zone   func(community string) *time.Location // see SetZones
	batch  *batcher
	people people // what this process wrote to people's indexes (people.go)
	// peopleMigrated: MigratePeople has run, no need to ask Redis again
	peopleMigrated atomic.Bool
	// bucketsMigrated: MigrateCommunityBuckets has run
	bucketsMigrated atomic.Bool
	// areaSumsFrom replaces AreaSumsFrom when set (tests)
	areaSumsFrom int
}

// New wraps a connected client. prefix namespaces every key ("pb" in
// production; tests use their own so they never touch each other's data).
func New(rdb redis.UniversalClient, prefix string) *Store {
	if prefix == "" {
		prefix = "pb"
	}
	return &Store{rdb: rdb, prefix: prefix, now: time.Now, zone: london, batch: newBatcher(rdb)}
}

// SetZones gives the communities' time zones (config's Schedules.Zones,
// as the bot's), in which the notices the store words itself name a day:
// a partner's notice of progress logged at 00:30 in Auckland names that
// day there, not yesterday's in UTC. Europe/London when never set, as the
// bot's default.
func (s *Store) SetZones(zone func(community string) *time.Location) {
	if zone != nil {
		s.zone = zone
	}
}

// today is the community's calendar day at t, as a date (bot.TodayIn).
func (s *Store) today(c string, t time.Time) time.Time { return bot.TodayIn(t, s.zone(c)) }

// london is the zone of a community no one gave one.
func london(string) *time.Location { return londonLoc }

var londonLoc = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

// SetClock replaces the store's clock (tests and as-of-time jobs).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Client exposes the Redis client for health checks and maintenance.
func (s *Store) Client() redis.UniversalClient { return s.rdb }

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error { return s.rdb.Ping(ctx).Err() }

// Close answers the scripts in flight, then closes the client.
func (s *Store) Close() error {
	s.batch.close()
	s.people.close()
	return s.rdb.Close()
}

//go:embed lua/*.lua
var luaFiles embed.FS

var (
	registerBusiness  = script("register_business")
	setMember         = script("set_member")
	registerPartner   = script("register_partner")
	setPartnerMember  = script("set_partner_member")
	addPledge         = script("add_pledge")
	progressPledge    = script("progress")
	transition        = script("transition")
	editPledge        = script("edit_pledge")
	listPledges       = script("list_pledges")
	getPledge         = script("get_pledge")
	deleteBusiness    = script("delete_business")
	erasePerson       = script("erase_person")
	auditScrub        = script("audit_scrub")
	auditTrim         = script("audit_trim")
	migrateAudit      = script("migrate_audit")
	migrateMonthBits  = script("migrate_month_bits")
	areaSums          = script("area_sums")
	daySums           = script("day_sums")
	summaryRead       = script("summary")
	reportSecret      = script("report_secret")
	snoozePledge      = script("snooze")
	lapsePledges      = script("lapse")
	enqueueNotices    = script("enqueue")
	nudgeCandidates   = script("nudge_candidates")
	enqueueNudges     = script("enqueue_nudges")
	nudgeWhen         = script("nudge_when")
	digestData        = script("digest")
	migrateFigures    = script("migrate_figures")
	ledgerRecent      = script("ledger_recent")
	correctEntry      = script("correct")
	reopenPledge      = script("reopen")
	confirmEntry      = script("confirm")
	replyEntry        = script("reply")
	recordOutcome     = script("outcome")
	migrateMeasures   = script("migrate_measures")
	migrateNeedsMet   = script("migrate_needs_met")
	migratePeople     = script("migrate_people")
	migrateShort      = script("migrate_short_names")
	migratePersons    = script("migrate_persons")
	migratePack       = script("migrate_pack")
	migrateNotes      = script("migrate_bare_notes")
	migrateUpdated    = script("migrate_updated")
	migrateBuckets    = script("migrate_buckets")
	migrateMembers    = script("migrate_members")
	migratePersonKeys = script("migrate_person_keys")
	migrateWrote      = script("migrate_wrote")
	needPost          = script("need_post")
	needClose         = script("need_close")
	needRead          = script("need_read")
	needNudgees       = script("need_nudgees")
	revokeLinks       = script("revoke_links")
)

// LoadScripts caches every script on the server so the first command after
// start-up takes one round trip, not two, and subscribes to what other
// stores forget of people's indexes, so that this one remembers its own
// entries from the first write on (people.go).
func (s *Store) LoadScripts(ctx context.Context) error {
	for _, sc := range allScripts {
		if err := sc.Script.Load(ctx, s.rdb).Err(); err != nil {
			return s.fail(err)
		}
	}
	s.listening(ctx)
	return nil
}

// scriptError is a refusal raised by a script: "PB code detail".
type scriptError struct {
	code, detail string
}

// fail sorts a Redis error: refusals from scripts stay as scriptError for
// the caller to word, lost connections become bot.ErrUnavailable, and
// anything else is internal.
func (s *Store) fail(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "PB "); ok {
		code, detail, _ := strings.Cut(rest, " ")
		return &scriptError{code: code, detail: strings.TrimSpace(detail)}
	}
	var rerr redis.Error
	if errors.As(err, &rerr) && !isConnectionMessage(msg) {
		return fmt.Errorf("redis: %w", err)
	}
	return fmt.Errorf("%w (%v)", bot.ErrUnavailable, err)
}

// isConnectionMessage says whether a Redis error means the server cannot
// serve now (loading, failing over, or busy with a script past its time
// limit: "BUSY ", not the consumer groups' "BUSYGROUP"), so the request
// may be tried again. NOSCRIPT is one too: it is only left after the
// batcher's reload and retry when Redis forgot its scripts again
// meanwhile (restarted twice), and the script did not run.
func isConnectionMessage(msg string) bool {
	for _, s := range []string{"LOADING", "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "READONLY", "BUSY ", "NOSCRIPT"} {
		if strings.HasPrefix(msg, s) {
			return true
		}
	}
	return false
}

func (e *scriptError) Error() string { return "store: " + e.code + " " + e.detail }

// unix is how times are stored: whole seconds.
func unix(t time.Time) string { return fmt.Sprint(t.Unix()) }

// decodeRows turns a list script's first result, an array of rows, into
// records with decode.
func decodeRows[T any](res []any, decode func(any) (T, error)) ([]T, error) {
	rows, _ := res[0].([]any)
	out := make([]T, 0, len(rows))
	for _, row := range rows {
		v, err := decode(row)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
