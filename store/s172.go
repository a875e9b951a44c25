package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// maxAmendments bounds one decision's history (s172_amend.lua holds the
// same number).
const maxAmendments = 200

// s172ScanCap bounds how many decisions one list or count may look at.
const s172ScanCap = 5000

// LogDecision records a decision in one round trip; the script resolves the
// business, checks membership and linked pledges, then writes.
func (s *Store) LogDecision(ctx context.Context, c string, a bot.Actor, business int, f bot.DecisionFields, reqID string) (bot.Decision, error) {
	call := s172LogCall{Actor: a, Req: reqID, Business: business, Now: s.now(), Date: dayScore(f.Date),
		Review: dayScore(f.Review), Fields: f.Changes()}
	res, err := s.call(ctx, s172Log, c, call.argv()...).Result()
	return s.decisionWritten(ctx, c, a, res, err)
}

// AmendDecision appends an amendment holding changes (field -> new value).
func (s *Store) AmendDecision(ctx context.Context, c string, a bot.Actor, n int, changes map[string]string, reqID string) (bot.Decision, error) {
	at := s.now().UTC().Truncate(time.Second)
	am, err := json.Marshal(bot.Amendment{At: at, By: a.ID.Key(), Changes: changes})
	if err != nil {
		return bot.Decision{}, err
	}
	dateScore, reviewScore := "", ""
	if v, ok := changes["date"]; ok {
		dateScore = scoreOf(v)
	}
	if v, ok := changes["review"]; ok {
		reviewScore = scoreOf(v)
	}
	call := s172AmendCall{Actor: a, Req: reqID, Decision: n, Amendment: string(am), Date: dateScore, Review: reviewScore, Fields: changes}
	res, err := s.call(ctx, s172Amend, c, call.argv()...).Result()
	return s.decisionWritten(ctx, c, a, res, err)
}

// Decision reads one decision with its whole history.
func (s *Store) Decision(ctx context.Context, c string, a bot.Actor, n int) (bot.Decision, error) {
	call := s172GetCall{Actor: a, Decision: n}
	res, err := s.call(ctx, s172Get, c, call.argv()...).Result()
	return s.decisionResult(res, err)
}

// Decisions lists what the actor may see, newest decision date first.
func (s *Store) Decisions(ctx context.Context, c string, a bot.Actor, f bot.DecisionFilter) ([]bot.Decision, error) {
	return s.listDecisions(ctx, c, a, "actor", "date", "desc", f)
}

// DecisionsDueForReview lists decisions whose review date is in [from, to],
// soonest first, for the reminder job.
func (s *Store) DecisionsDueForReview(ctx context.Context, c string, from, to time.Time) ([]bot.Decision, error) {
	return s.listDecisions(ctx, c, bot.Actor{}, "all", "review", "asc", bot.DecisionFilter{From: from, To: to, Limit: s172ScanCap})
}

// SharedDecisions lists the shareable decisions taken in [from, to].
func (s *Store) SharedDecisions(ctx context.Context, c string, from, to time.Time) ([]bot.Decision, error) {
	return s.listDecisions(ctx, c, bot.Actor{}, "shareable", "date", "asc", bot.DecisionFilter{From: from, To: to, Limit: s172ScanCap})
}

// S172Counts counts the decisions taken in [from, to], board ones included:
// counts are all an aggregate may show of them.
func (s *Store) S172Counts(ctx context.Context, c string, from, to time.Time) (int, int, map[string]int, error) {
	lo, hi := rangeScores(from, to)
	call := s172ListCall{Mode: "all", Index: "date", Order: "asc", From: lo, To: hi, ScanCap: s172ScanCap, Counts: true}
	res, err := s172List.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return 0, 0, nil, err
	}
	if len(res) != 3 {
		return 0, 0, nil, fmt.Errorf("store: unexpected s172 counts %v", res)
	}
	total, _ := res[0].(int64)
	shared, _ := res[1].(int64)
	by, _ := res[2].([]any)
	byFactor := map[string]int{}
	for i, l := range bot.Factors {
		if i < len(by) {
			n, _ := by[i].(int64)
			byFactor[l] = int(n)
		}
	}
	return int(total), int(shared), byFactor, nil
}

// businessDecisions is every decision of a business with its whole
// history, oldest first, for exports.
func (s *Store) businessDecisions(ctx context.Context, c string, business int) ([]bot.Decision, error) {
	return s.listDecisions(ctx, c, bot.Actor{}, "export", "date", "asc", bot.DecisionFilter{Business: business, Limit: s172ScanCap})
}

func (s *Store) listDecisions(ctx context.Context, c string, a bot.Actor, mode, index, order string, f bot.DecisionFilter) ([]bot.Decision, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	lo, hi := rangeScores(f.From, f.To)
	call := s172ListCall{Actor: a.ID.Key(), Admin: a.Admin, Mode: mode, Index: index, Order: order, From: lo, To: hi,
		Business: f.Business, Factor: f.Factor, Limit: f.Limit, ScanCap: s172ScanCap, Full: mode == "export" || f.History}
	res, err := s172List.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return nil, err
	}
	return decodeRows(res, decodeDecision)
}

// decisionWritten reads the answer of a script that wrote a decision
// record, and records in the actor's index that they appear in the
// community.
func (s *Store) decisionWritten(ctx context.Context, c string, a bot.Actor, res any, err error) (bot.Decision, error) {
	d, err := s.decisionResult(res, err)
	if err == nil {
		s.appear(ctx, c, a.ID)
	}
	return d, err
}

func (s *Store) decisionResult(res any, err error) (bot.Decision, error) {
	if err = s.fail(err); err != nil {
		return bot.Decision{}, decisionError(err)
	}
	return decodeDecision(res)
}

// decodeDecision reads a script's s172_out row.
func decodeDecision(row any) (bot.Decision, error) {
	r, ok := row.([]any)
	if !ok || len(r) != 8 {
		return bot.Decision{}, fmt.Errorf("store: unexpected decision row %T", row)
	}
	id, _ := r[0].(string)
	d := bot.Decision{}
	d.Number, _ = strconv.Atoi(id)
	orig, cur := flatMap(r[1]), flatMap(r[2])
	d.Business, _ = strconv.Atoi(cur["business"])
	d.Current = bot.FieldsFrom(cur)
	if len(orig) > 0 {
		d.Original = bot.FieldsFrom(orig)
	}
	log, _ := r[3].([]any)
	for _, raw := range log {
		var am bot.Amendment
		if str, ok := raw.(string); ok && json.Unmarshal([]byte(str), &am) == nil {
			d.Amendments = append(d.Amendments, am)
		}
	}
	d.BusinessName, _ = r[4].(string)
	by, _ := r[5].(string)
	d.CreatedBy, _ = bot.ParseIdentity(by)
	at, _ := r[6].(string)
	d.CreatedAt = parseUnix(at)
	d.BusinessForm, _ = r[7].(string)
	return d, nil
}

func flatMap(v any) map[string]string {
	flat, _ := v.([]any)
	h := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		v, _ := flat[i+1].(string)
		h[k] = v
	}
	return h
}

// appendFields adds field/value pairs in a fixed order, so a script's
// writes do not depend on map iteration.
func appendFields(args []any, m map[string]string) []any {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, k, m[k])
	}
	return args
}

// dayScore is a date's index score: its UTC midnight in unix seconds.
func dayScore(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
}

func scoreOf(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "0"
	}
	return strconv.FormatInt(dayScore(t), 10)
}

// rangeScores turns an inclusive date range into index bounds; zero ends
// are open.
func rangeScores(from, to time.Time) (string, string) {
	lo, hi := "-inf", "+inf"
	if !from.IsZero() {
		lo = strconv.FormatInt(dayScore(from), 10)
	}
	if !to.IsZero() {
		hi = strconv.FormatInt(dayScore(to), 10)
	}
	return lo, hi
}

func decisionError(err error) error {
	se, ok := err.(*scriptError)
	if !ok {
		return err
	}
	kind, num, _ := strings.Cut(se.detail, " ")
	switch se.code {
	case "nobusiness":
		return bot.StoreErr(bot.Invalid, "no_business")
	case "manybusinesses":
		return bot.StoreErr(bot.Invalid, "several_businesses", refs(se.detail))
	case "notfound":
		if kind == "business" {
			return bot.StoreErr(bot.NotFound, "business_not_found", num)
		}
		return bot.StoreErr(bot.NotFound, "decision_not_found", num)
	case "forbidden":
		if kind == "business" {
			return bot.StoreErr(bot.Forbidden, "not_decision_recorder", num)
		}
		return bot.StoreErr(bot.Forbidden, "not_decision_amender", num)
	case "nofactor":
		return bot.StoreErr(bot.Invalid, "decision_no_factor")
	case "review":
		return bot.StoreErr(bot.Invalid, "review_before_decision", kind, num)
	case "toomany":
		return bot.StoreErr(bot.Conflict, "too_many_amendments", kind, maxAmendments)
	case "pledge":
		return bot.StoreErr(bot.NotFound, "linked_pledge_not_found", se.detail)
	}
	return err
}

var (
	s172Log   = script("s172_log")
	s172Amend = script("s172_amend")
	s172Get   = script("s172_get")
	s172List  = script("s172_list")
)

// S172Decisions is what the weekly digest asks of the s172 records (the
// schedules package's DecisionSource): "#N title (business)" for each
// shareable decision logged in [from, to), oldest first, and how many board
// decisions there were, which the digest shows only as a count.
func (s *Store) S172Decisions(ctx context.Context, c string, from, to time.Time) ([]string, int, error) {
	// By when they were logged, to the second: a week's digest reports what
	// was logged that week, whatever date the decision is about.
	lo, hi := strconv.FormatInt(from.Unix(), 10), "("+strconv.FormatInt(to.Unix(), 10)
	counts := s172ListCall{Mode: "all", Index: "logged", Order: "asc", From: lo, To: hi, ScanCap: s172ScanCap, Counts: true}
	res, err := s172List.Run(ctx, s.rdb, s.base(c), counts.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return nil, 0, err
	}
	if len(res) != 3 {
		return nil, 0, fmt.Errorf("store: unexpected s172 counts %v", res)
	}
	total, _ := res[0].(int64)
	shared, _ := res[1].(int64)
	rows := s172ListCall{Mode: "shareable", Index: "logged", Order: "asc", From: lo, To: hi, Limit: s172ScanCap, ScanCap: s172ScanCap}
	res, err = s172List.Run(ctx, s.rdb, s.base(c), rows.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return nil, 0, err
	}
	ds, err := decodeRows(res, decodeDecision)
	if err != nil {
		return nil, 0, err
	}
	titles := make([]string, 0, len(ds))
	for _, d := range ds {
		titles = append(titles, fmt.Sprintf("#%d %s (%s)", d.Number, d.Current.Title, d.BusinessName))
	}
	return titles, int(max(total-shared, 0)), nil
}

// s172LogCall is the argument list of lua/s172_log.lua.
type s172LogCall struct {
	Actor    bot.Actor
	Req      string
	Business int // 0: the actor's only one
	Now      time.Time
	Date     int64 // dayScore of the decision's date
	Review   int64 // dayScore of its review date (0: none)
	Fields   map[string]string
}

func (c s172LogCall) argv() []any {
	return appendFields(append(actorArgs(c.Actor, reqKey(c.Req)), c.Business, c.Now.Unix(), c.Date, c.Review), c.Fields)
}

// s172AmendCall is the argument list of lua/s172_amend.lua.
type s172AmendCall struct {
	Actor     bot.Actor
	Req       string
	Decision  int
	Amendment string // bot.Amendment in JSON
	Date      string // the new date's score, "" unchanged
	Review    string // the new review date's score, "" unchanged, "0" cleared
	Fields    map[string]string
}

func (c s172AmendCall) argv() []any {
	return appendFields(append(actorArgs(c.Actor, reqKey(c.Req)), c.Decision, c.Amendment, c.Date, c.Review), c.Fields)
}

// s172GetCall is the argument list of lua/s172_get.lua.
type s172GetCall struct {
	Actor    bot.Actor
	Decision int
}

func (c s172GetCall) argv() []any {
	return []any{c.Actor.ID.Key(), flag(c.Actor.Admin), c.Decision}
}

// s172ListCall is the argument list of lua/s172_list.lua.
type s172ListCall struct {
	Actor              string // identity key; "" for a job's read
	Admin              bool
	Mode, Index, Order string
	From, To           string // scores (rangeScores)
	Business           int    // 0: any
	Factor             string // "": any
	Limit, ScanCap     int
	Counts, Full       bool // counts instead of rows; rows with their originals and amendments
}

func (c s172ListCall) argv() []any {
	return []any{c.Actor, flag(c.Admin), c.Mode, c.Index, c.Order, c.From, c.To, c.Business, c.Factor, c.Limit,
		c.ScanCap, flag(c.Counts), flag(c.Full)}
}
