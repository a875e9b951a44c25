package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// ExportBusiness gathers a business, its pledges with their histories and
// its audit entries. Owners and admins only.
func (s *Store) ExportBusiness(ctx context.Context, c string, a bot.Actor, n int) (bot.BusinessExport, error) {
	b, err := s.Business(ctx, c, n)
	if err != nil {
		return bot.BusinessExport{}, err
	}
	if !a.Admin && !isOwner(b, a.ID) {
		admin, err := s.rdb.SIsMember(ctx, s.key(c, "role", "admin"), a.ID.Key()).Result()
		if err = s.fail(err); err != nil {
			return bot.BusinessExport{}, err
		}
		if !admin {
			return bot.BusinessExport{}, bot.StoreErr(bot.Forbidden, "not_business_owner_export", n)
		}
	}
	// Its pledges are fields '#' + number of its hash (businessPledges).
	fields, err := s.rdb.HKeys(ctx, s.key(c, "business", n)).Result()
	if err = s.fail(err); err != nil {
		return bot.BusinessExport{}, err
	}
	ids := businessPledges(fields)
	out := bot.BusinessExport{Business: b, Pledges: []bot.PledgeData{}, Exported: s.now().UTC()}
	for _, id := range ids {
		num, _ := strconv.Atoi(id)
		p, events, err := s.pledge(ctx, c, a, num, "all")
		if err != nil {
			return bot.BusinessExport{}, err
		}
		p.BusinessName = b.Name
		out.Pledges = append(out.Pledges, bot.PledgeData{Pledge: p, History: events})
	}
	if out.Decisions, err = s.businessDecisions(ctx, c, n); err != nil {
		return bot.BusinessExport{}, err
	}
	if _, out.Stakeholders, err = s.Stakeholders(ctx, c, a, n); err != nil {
		return bot.BusinessExport{}, err
	}
	out.Audit, err = s.Audit(ctx, c, n, 0)
	return out, err
}

func isOwner(b bot.Business, who bot.Identity) bool {
	for _, m := range b.Members {
		if m.Who == who && m.Role == bot.RoleOwner {
			return true
		}
	}
	return false
}

// DeleteBusiness removes every key of a business in one script. Its people
// whose only tie to the community it was (no other business, no role) are
// forgotten with it: the script drops their request records, nudge setting
// and waiting notices, the audit rewrite their entries, and their own
// indexes the community (people.go).
func (s *Store) DeleteBusiness(ctx context.Context, c string, a bot.Actor, n int, reqID string) error {
	// The script frees the business's name by its key, which Lua cannot
	// compute (bot.NameKey). A name never changes once registered.
	got, err := s.rdb.HMGet(ctx, s.key(c, "business", strconv.Itoa(n)), "name").Result()
	if err = s.fail(err); err != nil {
		return err
	}
	name, _ := got[0].(string) // none: the script says it is not found
	call := deleteBusinessCall{Actor: a, Req: reqID, Business: n, NameKey: bot.NameKey(name)}
	res, err := deleteBusiness.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
	if err = businessError(s.fail(err)); err != nil {
		return err
	}
	s.appear(ctx, c, a.ID)
	var forgotten, others []string
	for _, v := range res {
		if who, ok := v.(string); ok {
			forgotten = append(forgotten, who)
			if who != a.ID.Key() { // the deletion's own record names the deleter
				others = append(others, who)
			}
		}
	}
	if _, err = s.scrubAudit(ctx, c, "business", strconv.Itoa(n), forgotten...); err != nil {
		return err
	}
	return s.forget(ctx, c, others...)
}

// auditScrubBatch bounds each step of an audit rewrite, so Redis never
// stalls on a large audit list.
const auditScrubBatch = 1000

// scrubAudit rewrites a community's audit list without a business's or a
// person's entries, one bounded script call at a time, and reports how many
// it dropped.
// In business mode, people are identities whose entries go as well.
func (s *Store) scrubAudit(ctx context.Context, c, mode, value string, people ...string) (int, error) {
	if err := s.MigrateAudit(ctx, c); err != nil {
		return 0, err
	}
	token := make([]byte, 8)
	rand.Read(token)
	dropped := 0
	for cursor := "-"; ; {
		call := auditScrubCall{Token: hex.EncodeToString(token), Cursor: cursor, Mode: mode, Value: value, Batch: auditScrubBatch, People: people}
		res, err := auditScrub.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
		if err = s.fail(err); err != nil {
			return dropped, err
		}
		next, _ := res[0].(string)
		n, _ := res[1].(int64)
		dropped += int(n)
		if next == "" {
			return dropped, nil
		}
		cursor = next
	}
}

// auditPage is how many audit entries Audit reads a round trip.
const auditPage = 500

// Audit returns the newest audit entries, of one business when business>0;
// limit 0 means all. Pledge writes are the ledger's entries
// (lua/figures.lua), merged in by time with the audit list's.
func (s *Store) Audit(ctx context.Context, c string, business, limit int) ([]bot.AuditEntry, error) {
	if err := s.MigrateAudit(ctx, c); err != nil {
		return nil, err
	}
	var out []bot.AuditEntry
	// Pages from the tail by positions counted from the head, which
	// entries appended meanwhile do not move.
	end, err := s.rdb.LLen(ctx, s.key(c, "audit")).Result()
	if err = s.fail(err); err != nil {
		return nil, err
	}
	for end > 0 && (limit == 0 || len(out) < limit) {
		start := max(end-auditPage, 0)
		raw, err := s.rdb.LRange(ctx, s.key(c, "audit"), start, end-1).Result()
		if err = s.fail(err); err != nil {
			return nil, err
		}
		for i := len(raw) - 1; i >= 0; i-- {
			e, ok := decodeAudit(raw[i])
			if ok && (business == 0 || e.Business == business) {
				out = append(out, e)
				if limit > 0 && len(out) == limit {
					break
				}
			}
		}
		end = start
	}
	ledger, err := s.ledgerAudit(ctx, c, business, limit)
	if err != nil {
		return nil, err
	}
	out = append(out, ledger...)
	// Newest first; within a second the audit list's order and the
	// ledger's are kept (a stable sort of two newest-first lists).
	slices.SortStableFunc(out, func(a, b bot.AuditEntry) int { return b.At.Truncate(time.Second).Compare(a.At.Truncate(time.Second)) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// ledgerActions names the audit action of each kind of ledger entry.
var ledgerActions = map[string]string{
	"created": "pledge.add", "progress": "pledge.progress", "edited": "pledge.edit", "corrected": "pledge.correct",
	"done": "pledge.done", "withdrawn": "pledge.withdrawn", "lapsed": "pledge.lapsed", "reopened": "pledge.reopen",
	"snoozed": "pledge.snooze", "confirmed": "pledge.confirm", "queried": "pledge.query",
	"replied": "pledge.reply",
	"outcome": "pledge.outcome", "unlinked": "partner.delete",
}

// ledgerAudit reads the ledger's entries as audit entries, newest first
// (lua/ledger_recent.lua).
func (s *Store) ledgerAudit(ctx context.Context, c string, business, limit int) ([]bot.AuditEntry, error) {
	call := ledgerRecentCall{Business: business, Limit: limit}
	flat, err := ledgerRecent.Run(ctx, s.rdb, s.base(c), call.argv()...).StringSlice()
	if err = s.fail(err); err != nil {
		return nil, err
	}
	var out []bot.AuditEntry
	for i := 0; i+8 < len(flat); i += 9 {
		at, _ := strconv.ParseInt(flat[i], 10, 64)
		e := bot.AuditEntry{ID: "ledger:" + flat[i+7], At: time.Unix(at, 0).UTC(), By: flat[i+6], Detail: flat[i+4] + " " + flat[i+5]}
		if said := flat[i+8]; said != "" {
			e.Detail = saidDetail(said)
		}
		e.Action = ledgerActions[flat[i+1]]
		if e.Action == "" {
			e.Action = "pledge." + flat[i+1]
		}
		e.Pledge, _ = strconv.Atoi(flat[i+2])
		e.Business, _ = strconv.Atoi(flat[i+3])
		out = append(out, e)
	}
	return out, nil
}

// TrimAudit drops audit entries older than before (lua/audit_trim.lua).
func (s *Store) TrimAudit(ctx context.Context, c string, before time.Time) error {
	if err := s.MigrateAudit(ctx, c); err != nil {
		return err
	}
	call := auditTrimCall{Before: before.UnixMilli()}
	return s.fail(auditTrim.Run(ctx, s.rdb, s.base(c), call.argv()...).Err())
}

// auditTrimCall is the argument list of lua/audit_trim.lua.
type auditTrimCall struct {
	Before int64 // Unix ms
}

func (c auditTrimCall) argv() []any { return []any{c.Before} }

// ErasePerson removes a person from every community they appear in and
// returns those communities.
func (s *Store) ErasePerson(ctx context.Context, operator string, who bot.Identity) ([]string, error) {
	e, err := s.Erase(ctx, operator, who)
	return e.Communities, err
}

// Erasure is what erasing a person did.
type Erasure struct {
	Communities []string      // where the person was found
	Owners      []OwnerChange // businesses the person was the last owner of
}

// OwnerChange is a business whose last owner was erased: handed to its
// longest-standing member (NewOwner), or, with none left, marked as
// needing an owner (NewOwner zero) for an admin.
type OwnerChange struct {
	Community string
	Business  int
	NewOwner  bot.Identity
}

// Erase removes a person from every community they appear in: those their
// own index lists (people.go), and no others. There erase_person.lua finds
// what is theirs by name (their person keys, their request records of the
// days that can still exist, the lapse notices to them in the pledges of
// their businesses) and the audit rewrite their entries. Nothing scans
// the keyspace, so the cost follows what the person has, however much
// else Redis holds. Data older than the indexes is indexed first, once
// (MigratePeople). Each community leaves the index once done, so an
// erasure cut short is finished by running it again.
func (s *Store) Erase(ctx context.Context, operator string, who bot.Identity) (Erasure, error) {
	var out Erasure
	if _, err := s.MigratePeople(ctx); err != nil {
		return out, err
	}
	if _, err := s.MigrateCommunityBuckets(ctx); err != nil {
		return out, err
	}
	cs, err := s.communitiesOf(ctx, who.Key())
	if err != nil {
		return out, err
	}
	sort.Strings(cs)
	for _, c := range cs {
		// erase_person.lua reads pledges by their short field names: one
		// the migration has not renamed yet would keep the person.
		if _, err := s.MigrateShortNames(ctx, c); err != nil {
			return out, err
		}
		call := erasePersonCall{Operator: operator, Who: who}
		res, err := erasePerson.Run(ctx, s.rdb, s.base(c), call.argv()...).Result()
		if err = s.fail(err); err != nil {
			return out, err
		}
		dropped, err := s.scrubAudit(ctx, c, "person", who.Key())
		if err != nil {
			return out, err
		}
		list, found := res.([]any)
		if found || dropped > 0 {
			out.Communities = append(out.Communities, c)
		}
		for _, v := range list {
			f := strings.Fields(fmt.Sprint(v))
			if len(f) < 2 {
				continue
			}
			ch := OwnerChange{Community: c}
			ch.Business, _ = strconv.Atoi(f[1])
			if f[0] == "handed" && len(f) == 3 {
				ch.NewOwner, _ = bot.ParseIdentity(f[2])
			}
			out.Owners = append(out.Owners, ch)
		}
		if err := s.forget(ctx, c, who.Key()); err != nil {
			return out, err
		}
	}
	// The Slack installation of their workspace names who installed it,
	// outside every community.
	if who.Platform == bot.Slack {
		forget := installForgetCall{User: who.User}
		if err := s.fail(forgetInstaller.Run(ctx, s.rdb, s.installKey(who.Workspace), forget.argv()...).Err()); err != nil {
			return out, err
		}
	}
	return out, nil
}

// forgetInstaller drops an installation's installer field when it is the
// person (KEYS[1] the installation, ARGV[1] their Slack user id), in one
// step with the check, so a reinstall by someone else keeps its own.
var forgetInstaller = script("install_forget_installer")

// decodeAudit reads an entry of the audit list (audit in
// lua/prelude.lua): "ID|action|business|pledge|by|detail", ID the time in
// ms in base 36 and "-SEQ" when SEQ > 0, read back as a stream id MS-SEQ
// (the audit was a stream before audit-list-2026-12, and keeps its ids).
func decodeAudit(raw string) (bot.AuditEntry, bool) {
	f := strings.SplitN(raw, "|", 6)
	if len(f) != 6 {
		return bot.AuditEntry{}, false
	}
	msPart, seq, _ := strings.Cut(f[0], "-")
	ms, err := strconv.ParseInt(msPart, 36, 64)
	if err != nil {
		return bot.AuditEntry{}, false
	}
	if seq == "" {
		seq = "0"
	}
	by := strings.ReplaceAll(strings.ReplaceAll(f[4], "%7C", "|"), "%25", "%")
	e := bot.AuditEntry{ID: strconv.FormatInt(ms, 10) + "-" + seq, At: time.UnixMilli(ms).UTC(), By: by, Action: f[1], Detail: f[5]}
	e.Business, _ = strconv.Atoi(f[2])
	e.Pledge, _ = strconv.Atoi(f[3])
	return e, true
}

// decodeEvents reads a pledge's history, numbering its progress entries
// from before+1 as lua/correct.lua counts them.
func decodeEvents(p bot.Pledge, log []string, before int) []bot.Event {
	by := p.CreatedBy.Key()
	if p.CreatedBy == (bot.Identity{}) {
		by = "erased" // erase_person.lua wrote "erased", which is no identity
	}
	events := []bot.Event{{At: p.CreatedAt, By: by, Kind: bot.EventCreated}}
	for _, raw := range log {
		var e bot.Event
		if json.Unmarshal([]byte(raw), &e) == nil {
			if e.Kind == bot.EventProgress {
				before++
				e.Entry = before
			}
			events = append(events, e)
		}
	}
	return events
}

// saidDetail words a partner's confirmation or query for the audit: the
// entry and the note.
func saidDetail(said string) string {
	var ev struct {
		Entry int    `json:"entry"`
		Note  string `json:"note"`
	}
	if json.Unmarshal([]byte(said), &ev) != nil {
		return said
	}
	d := "entry " + strconv.Itoa(ev.Entry)
	if ev.Note != "" {
		d += ": " + ev.Note
	}
	return d
}

// deleteBusinessCall is the argument list of lua/delete_business.lua.
type deleteBusinessCall struct {
	Actor    bot.Actor
	Req      string
	Business int
	NameKey  string // bot.NameKey of its name ('' when it has none)
}

func (c deleteBusinessCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Business, c.NameKey)
}

// auditScrubCall is the argument list of lua/audit_scrub.lua.
type auditScrubCall struct {
	Token, Cursor, Mode, Value string
	Batch                      int
	People                     []string
}

func (c auditScrubCall) argv() []any {
	args := []any{c.Token, c.Cursor, c.Mode, c.Value, c.Batch}
	for _, p := range c.People {
		args = append(args, p)
	}
	return args
}

// ledgerRecentCall is the argument list of lua/ledger_recent.lua.
type ledgerRecentCall struct {
	Business, Limit int
}

func (c ledgerRecentCall) argv() []any { return []any{c.Business, c.Limit} }

// erasePersonCall is the argument list of lua/erase_person.lua.
type erasePersonCall struct {
	Operator string
	Who      bot.Identity
}

func (c erasePersonCall) argv() []any { return []any{c.Operator, c.Who.Key()} }

// installForgetCall is the argument list of lua/install_forget_installer.lua.
type installForgetCall struct {
	User string // the person's Slack user id
}

func (c installForgetCall) argv() []any { return []any{c.User} }
