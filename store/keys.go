package store

import (
	"fmt"

	"github.com/pledgebot/pledgebot/bot"
)

// base is the start of every key of one community. The community sits in a
// hash tag so that all its keys share a cluster slot and scripts may touch
// several of them atomically.
//
// Keys under base:
//
//	seq:business, seq:pledge          counters for #N numbers
//	business:N                        hash: name sector postcode created_by created_at, and when known
//	                                  form size figs ye (company details, company.go)
//	business:N:stk                    hash: stakeholder register, bot.NameKey(name) -> JSON {n, h}
//	                                  name_key (its key in business-names) only where that is not
//	                                  bot.NameKey(name) (written up to name-key-2026-12, MigrateNameKey), and
//	                                  name_skel for businesses from before skeletons
//	business:N:members                identity -> owner|member
//	business:N:past                   identities who left it (its histories may name them)
//	business:N:joined                 member -> when they joined (unix; set_member.lua), for handing
//	                                  over a business whose last owner is erased (erase_person.lua)
//	(business:N also gets needs_owner "1" when that erasure left it with nobody)
//	business:N:pledges                its pledge numbers
//	                                  These four are no keys: scripts use them by these names as a hash,
//	                                  a set, a zset and a set, and the prelude's redis.call keeps them as
//	                                  fields of business:N, '@' .. identity -> role, '~' .. identity -> '',
//	                                  '^' .. identity -> unix and '#' .. pledge -> '' (folded_call in
//	                                  lua/prelude.lua; Go: businessPeople, businessPledges; keys of their
//	                                  own up to members-pledges-2026-12, moved by MigrateMembers). Since
//	                                  persons-business-2026-12 a person is their number there, '@N', and
//	                                  in created_by (folded_name, person_number; Go: namePeople)
//	business-names                    hash: bot.NameKey(name) -> N (the look-alike
//	                                  skeleton); businesses registered before
//	                                  skeletons keep their lowercased name too
//	                                  (businesses are numbered 1..seq:business and need no index of all: a
//	                                  deleted one's hash is gone; releases up to 2cc2921 kept
//	                                  the zset businesses, dropped by MigrateIndexBuckets)
//	person:IDENTITY                   the business numbers they are in
//	person:IDENTITY:past              the business numbers they left (set_member.lua; erasure visits them)
//	                                  These and :partners, :needs below are no keys since
//	                                  members-people-2026-12 (MigrateMembers) but fields of the hash
//	                                  people, IDENTITY, 'IDENTITY past', 'IDENTITY partners', 'IDENTITY
//	                                  needs' -> the numbers, comma-separated (person_members, person_add,
//	                                  person_rem in lua/prelude.lua; Go: personIndex)
//	people field 'IDENTITY wrote'     the pledges they wrote about without being one of their business's
//	                                  people (an admin, council, coordinator: note_writer in
//	                                  lua/figures.lua), so that erasing them never walks the ledger
//	people field IDENTITY, "=N" first  the person's number in the community (persons:B), kept first in
//	                                  their field ('=7,3,12'); created_by of pledges stores it
//	persons:B                         hash: N -> IDENTITY for numbers B*128..B*128+127 (compact on Redis
//	                                  defaults), and in persons:0 field n the last number given
//	                                  (person_number in lua/prelude.lua); erasure drops a person's field,
//	                                  and what stores their number reads as 'erased' (person_identity)
//	seq:partner                       counter for community partner #N numbers
//	partner:N                         hash: name name_key area about created_at (and needs_owner "1"
//	                                  when an erasure left it without a partner-owner); it names nobody:
//	                                  who registered it is in the audit trail (lua/register_partner.lua)
//	partner:N:members                 hash: identity -> partner-owner|partner-member
//	partner:N:joined                  zset: member -> when they joined (unix), for the hand-over when its
//	                                  last partner-owner is erased (erase_person.lua)
//	partner:N:pledges                 set of the pledges made to it (their field pt is N)
//	partner-names                     hash: bot.NameKey(name) -> N
//	partners                          zset of partner numbers
//	person:IDENTITY:partners          the partner numbers a person acts for (a field of people)
//	seq:need, needs                   counter and zset of need numbers (lua/need_post.lua)
//	need:N                            hash: text theme target (the theme's unit) unit by created_at, and when
//	                                  given factor pt area due; status "closed" and closed_at once closed
//	                                  (absent: open; "met" is read from its pledges, never stored); met_at,
//	                                  when what its pledges deliver last reached its target, while it does
//	                                  (need_met in lua/figures.lua: the digest's "Needs met this week")
//	need:N:pledges                    set of the pledges made against it (their field nd is N)
//	person:IDENTITY:needs             the needs a person posted (erasure rewrites their by; a field of people)
//	pledge:N                          hash (see pledgeFields), stored under one-letter field names
//	                                  (pledge_short in lua/prelude.lua; long names up to short-names-2026-12)
//	                                  (pledges are numbered 1..seq:pledge and need no index of all;
//	                                  their history is the ledger's entries its field lg points at;
//	                                  pledge:N:log, the history list of earlier releases, goes at the
//	                                  figures migration)
//	due:B                             zset: active pledge -> due date (unix), for pledges B*128 to B*128+127
//	                                  (due_key in lua/prelude.lua; the digest and the lapse job merge the
//	                                  buckets, buckets_below; one zset due up to 2cc2921, moved
//	                                  by MigrateIndexBuckets)
//	updated:B                         zset: active pledge -> last change (unix), for pledges B*128 to
//	                                  B*128+127 (updated_key in lua/prelude.lua; one zset updated up to
//	                                  short-names-2026-12, moved by MigrateUpdated)
//	role:ROLE                         set of identities granted ROLE
//	seq:s172                          counter for decision #N numbers
//	s172:N                            hash: business created_by created_at + the
//	                                  fields as first logged (never rewritten)
//	s172:N:current                    hash: business + the fields with every
//	                                  amendment applied (what lists and indexes use)
//	s172:N:amendments                 list of JSON bot.Amendment, oldest first
//	business:N:s172                   set of the business's decision numbers
//	s172s                             zset: decision -> current decision date (unix)
//	s172:review                       zset: decision -> current review date (unix)
//	s172:logged                       zset: decision -> when it was logged (unix seconds), for the digest
//	idem:ACTOR:DAY                    hash per person and UTC day of the server's clock (DAY = unix days):
//	                                  CODE REQ (the operation's letter, idem_codes) -> the request's first result (REQ: 6 bytes, 48 bits, of the digest of
//	                                  the platform's id, reqKey, req_bytes; 11 characters up to 2cc2921); expires at the end of DAY+1 (lua/prelude.lua).
//	                                  ACTOR is the person's number in the community once they have one (persons:B;
//	                                  by identity up to persons-business-2026-12, still read: idem_key, idem_result)
//	once:ID                           "1" while a platform delivery id (Slack event_id; digest, reqKey) is handled; Once
//	audit                             list: "ID|action|business|pledge|by|detail", oldest first (audit in lua/prelude.lua)
//	audit:scrub:TOKEN                 scratch list while an audit rewrite or its migration runs (audit_scrub.lua, migrate_audit.lua)
//	ledger:YYYY-MM                    list: the month's pledge writes, "at|kind|pledge|business|theme|amount|who|extra"
//	                                  (compact after release 0361339: lua/figures.lua, parse_entry; business
//	                                  '' for the pledge's after 2cc2921)
//	sums:YYYY-MM                      hash FIELD:#SLOT (the theme's slot; FIELD:THEME past 32 slots and up to
//	                                  0361339): the month's figures (lua/figures.lua explains them); and bitmaps
//	                                  '~' (bit N when business N wrote in the month) and '~SLOT' (when it wrote about
//	                                  the theme in SLOT), keys bizbits:YYYY-MM and bizthemes:YYYY-MM (bit N*32+SLOT)
//	                                  before monthly-bits-2026-12 (MigrateMonthBits)
//	months                            zset: the months holding a ledger, sums or bits, by YYYYMM
//	dsums:DISTRICT:YYYY-MM            hash as sums:YYYY-MM, of the postcode district's businesses (area sums:
//	                                  only a community past AreaSumsFrom pledges; area_upto in lua/figures.lua)
//	dbits:DISTRICT                    bitmap: bit N when business N is in the district (area sums)
//	districts                         set: the districts with area sums
//	area-sums                         string: the highest pledge number the area sums count (lua/area_sums.lua)
//	day:YYYY-MM-DD                    hash as sums:YYYY-MM, of the day (day sums: only a community past
//	                                  AreaSumsFrom pledges, for rolling periods; day_upto in lua/figures.lua)
//	daybits:YYYY-MM-DD                bitmap: bit N when business N wrote that day (day sums)
//	day-sums                          string: the highest pledge number the day sums count (lua/day_sums.lua)
//	theme-slots                       hash: THEME -> SLOT (0..31; -1: counted from the ledger), '#' -> how many
//	migrations                        hash: migration -> the release that ran it (measures, figures, vouched, rate-sums, ...)
//	report-secret                     string: report-link HMAC secret when none is configured
//	                                  (rates, each rate pledge's values up to rate-sums-2026-12, goes: store.MigrateRateSums)
//	lapse-untold                      set of lapsed pledges whose owners are still to be told
//	(pledge:N also gets pt, the partner it is made to, when it names one; nd, the need it is made against; kg, its
//	confirm-link generation once /pledge confirm-link N revoke raised it (lua/revoke_links.lua); factor,
//	from its unit to its theme's when not 1, and measure "rate" for a rate theme's pledge; closed_at, the unix time it left active (releases before
//	figures-2026-12 wrote earlier_themes too, no longer read); it has no
//	updated_at until its first change: read created_at then; and no status
//	while it is active: a pledge with a business and no status is active)
//
// Scheduled jobs (store/schedules.go):
//
//	business-seen:B                   zset: business -> last activity (unix), for businesses B*128 to
//	                                  B*128+127 (seen_key in lua/prelude.lua; one zset business-seen up to
//	                                  2cc2921, moved by MigrateIndexBuckets)
//	pledge:N snooze_until             field: no nudges about N before this time (unix)
//	nudge-prefs                       hash: identity -> "off" | "pause:UNIX"
//	nudge-when                        hash: identity -> "HH:MM|Zone", their own nudge time and time zone (either may be empty)
//	need-nudges                       set of identities opted in to the weekly "needs near you" message
//	                                  (/nudges needs on; forget_people removes them)
//	nudged                            hash: identity -> their local date (YYYY-MM-DD) of their last nudge message
//	digest-channels                   set of "platform:workspace:channel" getting the weekly digest
//	done:JOB:PERIOD                   a job's run for a period happened (SET NX EX)
//	once:NOTICE-KEY                   a notice was decided (SET NX EX): sent at most once; notices about a
//	                                  pledge are decided in pledge:N:once (releases before decided them here)
//	pledge:N:once                     hash: the nudges (field KIND:PERIOD:PERSON, of key nudge:N:KIND:PERIOD:PERSON;
//	                                  releases before had no PERSON) and lapse
//	                                  notices (lapsed:CLOSED:PERSON, of key lapsed:N:CLOSED:PERSON) decided about
//	                                  pledge N -> when the decision lapses (unix); expires with the last one.
//	                                  Deletion and erasure find them by name (notice_decide in lua/prelude.lua)
//	outbox                            stream of decided notices, consumer group "senders"
//	outbox-attempts                   hash: outbox entry id -> failed sends
//	outbox-dead                       stream of notices given up on, for an operator
//
// And keys outside every community (never used with others in a script):
//
//	PREFIX:communities                set of communities scheduled jobs visit
//	PREFIX:communities-of:BB          hash: "IDENTITY COMMUNITY" -> "", every community each person
//	                                  appears in, 256 buckets by a hash of the identity (people.go):
//	                                  erasure visits those only
//
// and the Pub/Sub channel PREFIX:forgotten, on which a store tells the
// others that people left an index (people.go).
func (s *Store) base(community string) string {
	return fmt.Sprintf("%s:{%s}:", s.prefix, community)
}

func (s *Store) key(community string, parts ...any) string {
	k := s.base(community)
	for i, p := range parts {
		if i > 0 {
			k += ":"
		}
		k += fmt.Sprint(p)
	}
	return k
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func actorArgs(a bot.Actor, reqID string) []any {
	return []any{a.ID.Key(), flag(a.Admin), reqID}
}
