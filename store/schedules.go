package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// This file holds what scheduled jobs (package schedules) and the /nudges,
// /digest and /pledge snooze commands keep in Redis. Key names are listed
// in keys.go.

// SnoozePledge stops nudges about an active pledge until a time.
func (s *Store) SnoozePledge(ctx context.Context, c string, a bot.Actor, n int, until time.Time, reqID string) (bot.Pledge, error) {
	ev := s.event(a, bot.EventSnoozed, 0, "until "+until.UTC().Format(time.DateOnly), nil)
	call := snoozeCall{Actor: a, Req: reqID, Pledge: n, Until: until, Event: ev}
	res, err := s.call(ctx, snoozePledge, c, call.argv()...).Result()
	return s.pledgeWritten(ctx, c, a, res, err)
}

// Nudge preferences as stored in the nudge-prefs hash.
const (
	prefOff   = "off"
	prefPause = "pause:"
)

// SetNudges records a person's choice: off, paused until a time, or on
// (neither). One person's choice covers every pledge they made.
func (s *Store) SetNudges(ctx context.Context, c string, who bot.Identity, off bool, pauseUntil time.Time) error {
	key := s.key(c, "nudge-prefs")
	var err error
	switch {
	case off:
		err = s.rdb.HSet(ctx, key, who.Key(), prefOff).Err()
	case !pauseUntil.IsZero():
		err = s.rdb.HSet(ctx, key, who.Key(), prefPause+unix(pauseUntil)).Err()
	default:
		err = s.rdb.HDel(ctx, key, who.Key()).Err()
	}
	if err = s.fail(err); err == nil && (off || !pauseUntil.IsZero()) {
		s.appear(ctx, c, who)
	}
	return err
}

// NudgeSetting reads a person's choices as SetNudges and SetNudgeWhen took
// them, in one round trip.
func (s *Store) NudgeSetting(ctx context.Context, c string, who bot.Identity) (bot.NudgeSetting, error) {
	var pref, when *redis.StringCmd
	var needs *redis.BoolCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		pref = p.HGet(ctx, s.key(c, "nudge-prefs"), who.Key())
		when = p.HGet(ctx, s.key(c, "nudge-when"), who.Key())
		needs = p.SIsMember(ctx, s.key(c, "need-nudges"), who.Key())
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return bot.NudgeSetting{}, s.fail(err)
	}
	var out bot.NudgeSetting
	out.Clock, out.Zone, _ = strings.Cut(when.Val(), "|")
	if rest, ok := strings.CutPrefix(pref.Val(), prefPause); ok {
		out.PauseUntil = parseUnix(rest)
	}
	out.Off = pref.Val() == prefOff
	out.Needs = needs.Val()
	return out, nil
}

// HasOwnNudgeTimes reports whether anyone in the community chose their own
// nudge time or zone: a tick with nobody to look for reads nothing more.
func (s *Store) HasOwnNudgeTimes(ctx context.Context, c string) (bool, error) {
	n, err := s.rdb.HLen(ctx, s.key(c, "nudge-when")).Result()
	return n > 0, s.fail(err)
}

// SetNudgeWhen sets a person's own nudge clock ("HH:MM") or time zone
// (part "clock" or "zone"); "" goes back to the community's. The caller
// checks the value.
func (s *Store) SetNudgeWhen(ctx context.Context, c string, who bot.Identity, part, value string) error {
	if part != "clock" && part != "zone" {
		return fmt.Errorf("store: nudge time part %q", part)
	}
	call := nudgeWhenCall{Who: who, Part: part, Value: value}
	err := s.fail(nudgeWhen.Run(ctx, s.rdb, s.base(c), call.argv()...).Err())
	if err == nil && value != "" {
		s.appear(ctx, c, who)
	}
	return err
}

// NudgesAllowed reads a stored preference: whether a person may be nudged
// at a time.
func NudgesAllowed(pref string, at time.Time) bool {
	if pref == prefOff {
		return false
	}
	if rest, ok := strings.CutPrefix(pref, prefPause); ok {
		return !parseUnix(rest).After(at)
	}
	return true
}

// channelKey is how a digest channel is stored: "platform:workspace:channel".
func channelKey(r bot.Recipient) (string, error) {
	if !bot.ValidUser(string(r.Platform)) || !bot.ValidUser(r.Workspace) || !bot.ValidUser(r.Channel) {
		return "", bot.StoreErr(bot.Invalid, "digest_channel_invalid")
	}
	return string(r.Platform) + ":" + r.Workspace + ":" + r.Channel, nil
}

// SubscribeDigest adds (on) or removes a channel from the weekly digest and
// reports whether anything changed.
func (s *Store) SubscribeDigest(ctx context.Context, c string, to bot.Recipient, on bool) (bool, error) {
	k, err := channelKey(to)
	if err != nil {
		return false, err
	}
	var n int64
	if on {
		n, err = s.rdb.SAdd(ctx, s.key(c, "digest-channels"), k).Result()
		if err == nil {
			err = s.AddCommunity(ctx, c)
		}
	} else {
		n, err = s.rdb.SRem(ctx, s.key(c, "digest-channels"), k).Result()
	}
	return n > 0, s.fail(err)
}

// DigestChannels lists the channels subscribed to the weekly digest.
func (s *Store) DigestChannels(ctx context.Context, c string) ([]bot.Recipient, error) {
	ks, err := s.rdb.SMembers(ctx, s.key(c, "digest-channels")).Result()
	if err = s.fail(err); err != nil {
		return nil, err
	}
	out := make([]bot.Recipient, 0, len(ks))
	for _, k := range ks {
		parts := strings.SplitN(k, ":", 3)
		if len(parts) == 3 {
			out = append(out, bot.Recipient{Platform: bot.Platform(parts[0]), Workspace: parts[1], Channel: parts[2]})
		}
	}
	return out, nil
}

// communitiesKey is the one key outside any community: the set of
// communities that scheduled jobs visit.
func (s *Store) communitiesKey() string { return s.prefix + ":communities" }

// AddCommunity records that a community has data for scheduled jobs.
func (s *Store) AddCommunity(ctx context.Context, c string) error {
	return s.fail(s.rdb.SAdd(ctx, s.communitiesKey(), c).Err())
}

// Communities lists the communities recorded with AddCommunity.
func (s *Store) Communities(ctx context.Context) ([]string, error) {
	cs, err := s.rdb.SMembers(ctx, s.communitiesKey()).Result()
	return cs, s.fail(err)
}

// LapseDue marks active pledges due before cutoff as lapsed and returns
// their numbers. It works in batches so one call never blocks Redis long.
// at is when the job runs (its events carry that time).
func (s *Store) LapseDue(ctx context.Context, c string, cutoff, at time.Time) ([]int, error) {
	now := at.UTC().Truncate(time.Second)
	ev, _ := json.Marshal(bot.Event{At: now, By: "pledgebot", Kind: bot.EventLapsed})
	var out []int
	for {
		call := lapseCall{Cutoff: cutoff, Event: string(ev), Now: now, Batch: 200}
		res, err := lapsePledges.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
		if err = s.fail(err); err != nil {
			return out, err
		}
		seen, _ := res[0].(int64)
		for _, v := range res[1].([]any) {
			n, _ := strconv.Atoi(fmt.Sprint(v))
			out = append(out, n)
		}
		if seen == 0 {
			return out, nil
		}
	}
}

// Outgoing is a notice a job decided to send, with the key that makes it
// be sent once.
type Outgoing struct {
	Key    string
	Notice bot.Notice
}

// ErrRunDone says a job already ran for its period (on this or another
// replica).
var ErrRunDone = errors.New("store: job already ran for this period")

// Enqueue records a job run and its notices in one atomic step: the run key
// (job and period; "" for none) and each notice key are SET NX EX, and each
// notice whose key was new goes into the community's outbox. It returns how
// many notices were enqueued, or ErrRunDone when the run key was taken.
func (s *Store) Enqueue(ctx context.Context, c, run string, runTTL, ttl time.Duration, items []Outgoing) (int, error) {
	call := enqueueCall{Run: run, RunTTL: runTTL, TTL: ttl, Now: s.now()}
	for _, it := range items {
		b, err := json.Marshal(it.Notice)
		if err != nil {
			return 0, err
		}
		call.Notices = append(call.Notices, it.Key, string(b))
	}
	n, err := enqueueNotices.Run(ctx, s.rdb, s.base(c), call.argv()...).Int()
	if err = s.fail(err); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, ErrRunDone
	}
	return n, nil
}

// RunDone reports whether a job already ran for a period.
func (s *Store) RunDone(ctx context.Context, c, run string) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.key(c, "done", run)).Result()
	return n > 0, s.fail(err)
}

// OutboxEntry is one notice waiting in a community's outbox.
type OutboxEntry struct {
	ID     string
	Key    string
	Notice bot.Notice
	Bad    error // the entry could not be decoded
}

const outboxGroup = "senders"

// OutboxPending returns consumer's own pending entries after an id ("0"
// for all): what this consumer read but never acknowledged (it crashed, or
// the send failed).
//
// It lists them with XPENDING and reads them with XRANGE rather than
// re-reading through the group, which would reset their idle time: an entry
// this replica cannot deliver (its platform's adapter runs elsewhere) must
// age so that a replica that can claims it.
func (s *Store) OutboxPending(ctx context.Context, c, consumer, after string, count int) ([]OutboxEntry, error) {
	stream := s.key(c, "outbox")
	start := "-"
	if after != "" && after != "0" {
		start = nextID(after)
	}
	var pending []redis.XPendingExt
	err := s.withGroup(ctx, stream, func() error {
		var err error
		pending, err = s.rdb.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: stream, Group: outboxGroup,
			Start: start, End: "+", Count: int64(count), Consumer: consumer}).Result()
		return err
	})
	if err = s.fail(err); err != nil || len(pending) == 0 {
		return nil, err
	}
	reads := make([]*redis.XMessageSliceCmd, len(pending))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, pe := range pending {
			reads[i] = p.XRange(ctx, stream, pe.ID, pe.ID)
		}
		return nil
	})
	if err = s.fail(err); err != nil {
		return nil, err
	}
	var msgs []redis.XMessage
	for _, r := range reads {
		msgs = append(msgs, r.Val()...)
	}
	return decodeEntries(msgs), nil
}

// nextID is the smallest stream ID after id, so that a range starting
// there excludes id. Redis 6.2 reads "(id" as that, but the embedded store
// (miniredis) accepts the exclusive form in XRANGE only and refuses it in
// XPENDING with "Invalid stream ID", which stopped every drain with an
// entry pending; "ms-seq+1" means the same to both. An id that is not
// ms-seq (none of ours) keeps the exclusive form.
func nextID(id string) string {
	ms, seq, ok := strings.Cut(id, "-")
	m, err1 := strconv.ParseUint(ms, 10, 64)
	n, err2 := strconv.ParseUint(seq, 10, 64)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return "(" + id
	case n < math.MaxUint64:
		return fmt.Sprintf("%d-%d", m, n+1)
	case m < math.MaxUint64:
		return fmt.Sprintf("%d-0", m+1)
	}
	return "(" + id // the last possible id: nothing follows it
}

// OutboxNew hands new entries to consumer.
func (s *Store) OutboxNew(ctx context.Context, c, consumer string, count int) ([]OutboxEntry, error) {
	return s.readGroup(ctx, c, consumer, ">", count)
}

func (s *Store) readGroup(ctx context.Context, c, consumer, id string, count int) ([]OutboxEntry, error) {
	stream := s.key(c, "outbox")
	var msgs []redis.XMessage
	err := s.withGroup(ctx, stream, func() error {
		res, err := s.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: outboxGroup, Consumer: consumer,
			Streams: []string{stream, id}, Count: int64(count), Block: -1}).Result()
		if err == redis.Nil {
			return nil
		}
		for _, st := range res {
			msgs = append(msgs, st.Messages...)
		}
		return err
	})
	if err = s.fail(err); err != nil {
		return nil, err
	}
	return decodeEntries(msgs), nil
}

// OutboxClaim takes over entries idle in other consumers' hands for at
// least minIdle (a replica that crashed between deciding and sending),
// scanning from cursor ("0-0" first); it returns the next cursor, "0-0"
// when the scan is complete.
func (s *Store) OutboxClaim(ctx context.Context, c, consumer string, minIdle time.Duration, cursor string, count int) ([]OutboxEntry, string, error) {
	stream := s.key(c, "outbox")
	var msgs []redis.XMessage
	next := "0-0"
	err := s.withGroup(ctx, stream, func() error {
		var err error
		msgs, next, err = s.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: stream, Group: outboxGroup,
			Consumer: consumer, MinIdle: minIdle, Start: cursor, Count: int64(count)}).Result()
		if err == redis.Nil {
			return nil
		}
		return err
	})
	if err = s.fail(err); err != nil {
		return nil, "0-0", err
	}
	return decodeEntries(msgs), next, nil
}

func decodeEntries(msgs []redis.XMessage) []OutboxEntry {
	out := make([]OutboxEntry, 0, len(msgs))
	for _, m := range msgs {
		e := OutboxEntry{ID: m.ID}
		e.Key, _ = m.Values["key"].(string)
		raw, _ := m.Values["notice"].(string)
		if err := json.Unmarshal([]byte(raw), &e.Notice); err != nil || raw == "" {
			e.Bad = fmt.Errorf("outbox entry %s: undecodable notice", m.ID)
		}
		out = append(out, e)
	}
	return out
}

// withGroup runs f, creating the outbox's consumer group (from the start of
// the stream, so nothing enqueued before is skipped) if it is missing.
func (s *Store) withGroup(ctx context.Context, stream string, f func() error) error {
	err := f()
	if err == nil || !strings.HasPrefix(err.Error(), "NOGROUP") {
		return err
	}
	if err := s.rdb.XGroupCreateMkStream(ctx, stream, outboxGroup, "0").Err(); err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return err
	}
	return f()
}

// OutboxDone removes sent entries, in one round trip.
func (s *Store) OutboxDone(ctx context.Context, c string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	stream := s.key(c, "outbox")
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, stream, outboxGroup, ids...)
		p.XDel(ctx, stream, ids...)
		p.HDel(ctx, s.key(c, "outbox-attempts"), ids...)
		return nil
	})
	return s.fail(err)
}

// OutboxFailed counts a failed send of an entry and returns the attempts
// so far; the entry stays pending for a later retry.
func (s *Store) OutboxFailed(ctx context.Context, c, id string) (int, error) {
	n, err := s.rdb.HIncrBy(ctx, s.key(c, "outbox-attempts"), id, 1).Result()
	return int(n), s.fail(err)
}

// OutboxDead moves an entry that cannot be sent to the outbox-dead stream
// (kept for an operator to read) and out of the outbox.
func (s *Store) OutboxDead(ctx context.Context, c string, e OutboxEntry, reason string) error {
	b, _ := json.Marshal(e.Notice)
	stream := s.key(c, "outbox")
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAdd(ctx, &redis.XAddArgs{Stream: s.key(c, "outbox-dead"), MaxLen: 10000, Approx: true,
			Values: []any{"key", e.Key, "notice", string(b), "reason", reason}})
		p.XAck(ctx, stream, outboxGroup, e.ID)
		p.XDel(ctx, stream, e.ID)
		p.HDel(ctx, s.key(c, "outbox-attempts"), e.ID)
		return nil
	})
	return s.fail(err)
}

// OutboxLen counts entries not yet sent (tests and health checks).
func (s *Store) OutboxLen(ctx context.Context, c string) (int64, error) {
	n, err := s.rdb.XLen(ctx, s.key(c, "outbox")).Result()
	return n, s.fail(err)
}

// ActivityEvent is one entry of the ledger (lua/figures.lua), as the
// digest reads a week of it.
type ActivityEvent struct {
	At       time.Time
	Kind     string // created, progress, corrected, edited, moved, done, withdrawn, lapsed, reopened, snoozed
	Pledge   int
	Business int
	Theme    string
	Amount   float64 // what it changed the theme's totals by (see activity in lua/prelude.lua)
}

// DigestPledge is what the digest needs of a pledge.
type DigestPledge struct {
	Number, Business                      int
	Text, Visibility, Status, Unit, Theme string
	Due                                   time.Time
	Target, Progress                      float64
}

// DigestData is everything one weekly digest shows.
type DigestData struct {
	Events       []ActivityEvent // from the previous week's start to the end
	Overdue      []int           // first `limit` active pledges past due
	OverdueCount int
	Quiet        []int // first `limit` businesses with no activity since quietBefore
	QuietCount   int
	Pledges      map[int]DigestPledge
	Names        map[int]string // business names
	Totals       map[string]float64
}

// DigestData reads a digest's content in one round trip; its cost depends
// on the events between from and end, not on the community's history.
func (s *Store) DigestData(ctx context.Context, c string, from, end, overdueBefore, quietBefore time.Time, limit int) (DigestData, error) {
	call := digestCall{From: from, End: end, OverdueBefore: overdueBefore, QuietBefore: quietBefore, Limit: limit}
	res, err := digestData.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return DigestData{}, err
	}
	if len(res) != 8 {
		return DigestData{}, fmt.Errorf("store: unexpected digest reply of %d parts", len(res))
	}
	d := DigestData{Pledges: map[int]DigestPledge{}, Names: map[int]string{}, Totals: map[string]float64{}}
	ev := strs(res[0])
	for i := 0; i+1 < len(ev); i += 2 {
		f := strings.Split(ev[i], "|")
		if len(f) != 6 {
			continue
		}
		score, _ := strconv.ParseFloat(ev[i+1], 64)
		e := ActivityEvent{At: time.Unix(int64(score), 0).UTC(), Kind: f[1], Theme: f[4]}
		e.Pledge, _ = strconv.Atoi(f[2])
		e.Business, _ = strconv.Atoi(f[3])
		e.Amount, _ = strconv.ParseFloat(f[5], 64)
		d.Events = append(d.Events, e)
	}
	d.Overdue = ints(res[1])
	d.OverdueCount = int(toInt(res[2]))
	d.Quiet = ints(res[3])
	d.QuietCount = int(toInt(res[4]))
	for _, row := range res[5].([]any) {
		r := strs(row)
		if len(r) != 11 {
			continue
		}
		p := DigestPledge{Text: r[1], Visibility: r[2], Status: r[4], Unit: r[6], Theme: r[7]}
		p.Number, _ = strconv.Atoi(r[0])
		p.Business, _ = strconv.Atoi(r[3])
		p.Due, _ = time.Parse(time.DateOnly, r[5])
		p.Target, p.Progress = ownUnit(r[8], r[9], r[10])
		d.Pledges[p.Number] = p
	}
	names := strs(res[6])
	for i := 0; i+1 < len(names); i += 2 {
		n, _ := strconv.Atoi(names[i])
		d.Names[n] = names[i+1]
	}
	tot := strs(res[7])
	for i := 0; i+1 < len(tot); i += 2 {
		d.Totals[tot[i]], _ = strconv.ParseFloat(tot[i+1], 64)
	}
	return d, nil
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = fmt.Sprint(x)
	}
	return out
}

func ints(v any) []int {
	var out []int
	for _, s := range strs(v) {
		if n, err := strconv.Atoi(s); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func toInt(v any) int64 {
	n, _ := v.(int64)
	return n
}

// ownUnit reads a pledge's target and progress, stored in its theme's
// unit, as shown in its own (Unit): what nudges and digests show.
func ownUnit(target, progress, factor string) (float64, float64) {
	var p bot.Pledge
	p.Target, _ = strconv.ParseFloat(target, 64)
	p.Progress, _ = strconv.ParseFloat(progress, 64)
	p.Factor, _ = strconv.ParseFloat(factor, 64)
	return p.Shown(p.Target), p.Shown(p.Progress)
}

// snoozeCall is the argument list of lua/snooze.lua.
type snoozeCall struct {
	Actor  bot.Actor
	Req    string
	Pledge int
	Until  time.Time
	Event  eventJSON
}

func (c snoozeCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Pledge, c.Until.Unix(), c.Event.json, c.Event.at)
}

// nudgeWhenCall is the argument list of lua/nudge_when.lua.
type nudgeWhenCall struct {
	Who   bot.Identity
	Part  string // "clock" or "zone"
	Value string // "" for the community's
}

func (c nudgeWhenCall) argv() []any { return []any{c.Who.Key(), c.Part, c.Value} }

// lapseCall is the argument list of lua/lapse.lua.
type lapseCall struct {
	Cutoff time.Time
	Event  string // the lapse's bot.Event in JSON
	Now    time.Time
	Batch  int
}

func (c lapseCall) argv() []any { return []any{c.Cutoff.Unix(), c.Event, c.Now.Unix(), c.Batch} }

// enqueueCall is the argument list of lua/enqueue.lua.
type enqueueCall struct {
	Run         string // the run key, "" for none
	RunTTL, TTL time.Duration
	Now         time.Time
	Notices     []any // key, notice JSON pairs
}

func (c enqueueCall) argv() []any {
	return append([]any{c.Run, int64(c.RunTTL.Seconds()), int64(c.TTL.Seconds()), c.Now.Unix()}, c.Notices...)
}

// digestCall is the argument list of lua/digest.lua.
type digestCall struct {
	From, End, OverdueBefore, QuietBefore time.Time
	Limit                                 int
}

func (c digestCall) argv() []any {
	return []any{c.From.Unix(), c.End.Unix(), c.OverdueBefore.Unix(), c.QuietBefore.Unix(), c.Limit}
}
