package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// listScanCap bounds how many pledges one list may look at, so a narrow
// filter over a huge community cannot stall Redis.
const listScanCap = 5000

// AddPledge creates a pledge in one round trip: the script picks the actor's
// business, checks membership, numbers the pledge and updates every index,
// its ledger entry and the month's sums atomically.
func (s *Store) AddPledge(ctx context.Context, c string, a bot.Actor, p bot.NewPledge, reqID string) (bot.Pledge, error) {
	call := addPledgeCall{Actor: a, Req: reqID, Pledge: p, Now: s.now()}
	res, err := s.call(ctx, addPledge, c, call.argv()...).Result()
	return s.pledgeWritten(ctx, c, a, res, err)
}

// addPledgeCall is the argument list of lua/add_pledge.lua, in one place:
// its header numbers the positions, argv builds them, and the store and
// its benchmarks fill the fields.
type addPledgeCall struct {
	Actor  bot.Actor
	Req    string // the platform's request id; "" asks no idempotency
	Pledge bot.NewPledge
	Now    time.Time
}

func (c addPledgeCall) argv() []any {
	p := c.Pledge
	return append(actorArgs(c.Actor, reqKey(c.Req)), p.Business, p.Text, p.Theme, num(p.Target), p.Unit,
		date(p.Due), dueScore(p.Due), p.Visibility, c.Now.Unix(),
		factorArg(p.Factor), measureArg(p.Measure), refArg(p.Partner), refArg(p.Need))
}

// LogProgress adds an amount to a pledge, and (at the next fold) to its
// theme's delivered total. A pledge made to a partner asks the partner's
// people, in the same step, to confirm or query the entry
// (bot.ProgressNotice, through the outbox).
func (s *Store) LogProgress(ctx context.Context, c string, a bot.Actor, n int, amount float64, note, reqID string) (bot.Pledge, error) {
	ev := s.event(a, bot.EventProgress, amount, note, nil)
	notice, err := json.Marshal(bot.ProgressNotice(n, a.ID, s.today(c, time.Unix(ev.at, 0))))
	if err != nil {
		return bot.Pledge{}, err
	}
	call := progressCall{Actor: a, Req: reqID, Pledge: n, Amount: amount, Event: ev, Community: c,
		Notice: string(notice), Number: bot.FormatNumber(amount), Singular: singularArg(amount)}
	res, err := s.call(ctx, progressPledge, c, call.argv()...).Result()
	return s.pledgeWritten(ctx, c, a, res, err)
}

// singularArg is the unit words made singular for an amount of one
// (bot.SingularUnits, in JSON), empty for any other amount: lua/ask.lua words
// the amount with it.
func singularArg(amount float64) string {
	one := bot.SingularUnits(amount)
	if one == nil {
		return ""
	}
	b, _ := json.Marshal(one)
	return string(b)
}

// RevokeConfirmLinks withdraws every confirm link made so far for pledge
// n, before they expire (lua/revoke_links.lua): the business's owners and
// admins may.
func (s *Store) RevokeConfirmLinks(ctx context.Context, c string, a bot.Actor, n int, reqID string) (bot.Pledge, error) {
	call := revokeLinksCall{Actor: a, Req: reqID, Pledge: n}
	res, err := s.call(ctx, revokeLinks, c, call.argv()...).Result()
	return s.pledgeWritten(ctx, c, a, res, err)
}

// CompletePledge marks an active pledge done.
func (s *Store) CompletePledge(ctx context.Context, c string, a bot.Actor, n int, note, reqID string) (bot.Pledge, error) {
	return s.transition(ctx, c, a, n, bot.StatusDone, s.event(a, bot.EventDone, 0, note, nil), reqID)
}

// WithdrawPledge withdraws an active pledge; its target leaves the totals.
func (s *Store) WithdrawPledge(ctx context.Context, c string, a bot.Actor, n int, reqID string) (bot.Pledge, error) {
	return s.transition(ctx, c, a, n, bot.StatusWithdrawn, s.event(a, bot.EventWithdrawn, 0, "", nil), reqID)
}

func (s *Store) transition(ctx context.Context, c string, a bot.Actor, n int, to string, ev eventJSON, reqID string) (bot.Pledge, error) {
	call := transitionCall{Actor: a, Req: reqID, Pledge: n, To: to, Event: ev}
	res, err := s.call(ctx, transition, c, call.argv()...).Result()
	return s.pledgeWritten(ctx, c, a, res, err)
}

// EditPledge changes the given fields, keeping totals and indexes in step.
func (s *Store) EditPledge(ctx context.Context, c string, a bot.Actor, n int, e bot.PledgeEdit, reqID string) (bot.Pledge, error) {
	changes := map[string]string{}
	if e.Text != nil {
		changes["text"] = *e.Text
	}
	if e.Theme != nil {
		changes["theme"] = *e.Theme
	}
	if e.Target != nil {
		changes["target"] = num(*e.Target)
	}
	if e.Unit != nil {
		changes["unit"] = *e.Unit
	}
	var due time.Time
	if e.Due != nil {
		due = *e.Due
		changes["due"] = date(due)
	}
	if e.Visibility != nil {
		changes["visibility"] = *e.Visibility
	}
	if e.Partner != nil {
		changes["partner"] = refArg(*e.Partner)
	}
	ev := s.event(a, bot.EventEdited, 0, "", changes)
	call := editPledgeCall{Actor: a, Req: reqID, Pledge: n, Event: ev, DueScore: dueScore(due)}
	for _, f := range []string{"text", "theme", "target", "unit", "due", "visibility"} {
		if v, ok := changes[f]; ok {
			call.Fields = append(call.Fields, f, v)
		}
	}
	// How amounts convert and combine is not history a person reads.
	if e.Factor != nil {
		call.Fields = append(call.Fields, "factor", factorArg(*e.Factor))
	}
	if e.Measure != nil {
		call.Fields = append(call.Fields, "measure", measureArg(*e.Measure))
	}
	if e.Partner != nil {
		call.Fields = append(call.Fields, "pt", refArg(*e.Partner))
	}
	res, err := s.call(ctx, editPledge, c, call.argv()...).Result()
	return s.pledgeWritten(ctx, c, a, res, err)
}

// Pledge reads a pledge and its history in one round trip. Private pledges
// are shown only to their business and admins.
func (s *Store) Pledge(ctx context.Context, c string, a bot.Actor, n int) (bot.Pledge, []bot.Event, error) {
	return s.pledge(ctx, c, a, n, "")
}

// pledge reads a pledge and its last 100 history entries, or all of them
// with history "all" (lua/get_pledge.lua).
func (s *Store) pledge(ctx context.Context, c string, a bot.Actor, n int, history string) (bot.Pledge, []bot.Event, error) {
	call := getPledgeCall{Actor: a, Pledge: n, History: history}
	res, err := s.call(ctx, getPledge, c, call.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return bot.Pledge{}, nil, pledgeError(err)
	}
	p, err := decodeRow(res[0])
	if err != nil {
		return bot.Pledge{}, nil, err
	}
	raw, _ := res[1].([]any)
	log := make([]string, 0, len(raw))
	for _, r := range raw {
		if s, ok := r.(string); ok {
			log = append(log, s)
		}
	}
	before, _ := res[2].(int64)
	events := decodeEvents(p, log, int(before))
	return p, events, nil
}

// Pledges lists pledges newest first, in one round trip.
func (s *Store) Pledges(ctx context.Context, c string, a bot.Actor, f bot.PledgeFilter) ([]bot.Pledge, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	call := listPledgesCall{Actor: a, Filter: f, ScanCap: listScanCap}
	res, err := listPledges.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return nil, err
	}
	return decodeRows(res, decodeRow)
}

// pledgeWritten reads the answer of a script that wrote to a pledge, and
// records in the actor's index that they appear in the community.
func (s *Store) pledgeWritten(ctx context.Context, c string, a bot.Actor, res any, err error) (bot.Pledge, error) {
	p, err := s.pledgeResult(res, err)
	if err == nil {
		s.appear(ctx, c, a.ID)
	}
	return p, err
}

func (s *Store) pledgeResult(res any, err error) (bot.Pledge, error) {
	if err = s.fail(err); err != nil {
		return bot.Pledge{}, pledgeError(err)
	}
	return decodeRow(res)
}

// decodeRow reads a script's {number, HGETALL, business name} triple.
func decodeRow(row any) (bot.Pledge, error) {
	r, ok := row.([]any)
	if !ok || len(r) != 3 {
		return bot.Pledge{}, fmt.Errorf("store: unexpected pledge row %T", row)
	}
	id, _ := r[0].(string)
	n, _ := strconv.Atoi(id)
	flat, _ := r[1].([]any)
	h := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		v, _ := flat[i+1].(string)
		h[k] = v
	}
	p := decodePledge(n, h)
	p.BusinessName, _ = r[2].(string)
	return p, nil
}

func decodePledge(n int, h map[string]string) bot.Pledge {
	p := bot.Pledge{Number: n, Text: joinLong(h, "text"), Theme: h["theme"], Unit: h["unit"],
		Visibility: h["visibility"], Status: h["status"],
		CreatedAt: parseUnix(h["created_at"]), UpdatedAt: parseUnix(h["updated_at"])}
	if _, ok := h["updated_at"]; !ok {
		p.UpdatedAt = p.CreatedAt // never changed since it was made: the field is left out
	}
	p.Business, _ = strconv.Atoi(h["business"])
	p.Target, _ = strconv.ParseFloat(h["target"], 64)
	p.Progress, _ = strconv.ParseFloat(h["progress"], 64)
	p.Factor, _ = strconv.ParseFloat(h["factor"], 64)
	if _, ok := h["factor"]; !ok && h["unit"] != "" {
		p.Factor = 1 // left out when the unit is the theme's own
	}
	p.Rate = h["measure"] == bot.MeasureRate
	p.Due, _ = time.Parse(time.DateOnly, h["due"])
	if p.Visibility == "" {
		p.Visibility = bot.Public
	}
	if p.Status == "" {
		p.Status = bot.StatusActive // left out while active
	}
	p.CreatedBy, _ = bot.ParseIdentity(h["created_by"])
	p.Partner, _ = strconv.Atoi(h["pt"])
	p.Need, _ = strconv.Atoi(h["nd"])
	p.Checks = decodeChecks(h["cf"])
	p.LinkGen, _ = strconv.Atoi(h["kg"])
	if by, ok := h["ob"]; ok {
		p.Outcome = &bot.Outcome{Text: joinLong(h, "oc"), By: by, At: parseUnix(h["oa"])}
	}
	return p
}

func pledgeError(err error) error {
	se, ok := err.(*scriptError)
	if !ok {
		return err
	}
	if e := entryError(se); e != nil {
		return e
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
		if kind == "partner" {
			return partnerNotFound(num)
		}
		if kind == "need" {
			return needNotFound(num)
		}
		return pledgeNotFound(num)
	case "forbidden":
		if kind == "business" {
			return bot.StoreErr(bot.Forbidden, "not_your_business", num)
		}
		return bot.StoreErr(bot.Forbidden, "pledge_of_another_business", num)
	case "status":
		return bot.StoreErr(bot.Conflict, "pledge_state_conflict", se.detail)
	case "needclosed":
		return bot.StoreErr(bot.Conflict, "need_closed", se.detail)
	case "needtheme":
		return bot.StoreErr(bot.Invalid, "need_other_theme", kind, num)
	case "needpartner":
		return bot.StoreErr(bot.Invalid, "need_other_partner", kind, num)
	}
	return err
}

// refs reads the business numbers a script lists ("1,4") for a refusal
// that names them; bot.Refs words them.
func refs(list string) bot.Refs {
	var out bot.Refs
	for _, f := range strings.Split(list, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func pledgeNotFound(n any) error {
	return bot.StoreErr(bot.NotFound, "pledge_not_found", n)
}

type eventJSON struct {
	json string
	at   int64
}

func (s *Store) event(a bot.Actor, kind string, amount float64, note string, changes map[string]string) eventJSON {
	now := s.now().UTC().Truncate(time.Second)
	b, _ := json.Marshal(bot.Event{At: now, By: a.ID.Key(), Kind: kind, Amount: amount, Note: note, Changes: changes})
	return eventJSON{json: string(b), at: now.Unix()}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// factorArg is a unit factor for a script: "" when it is 1 (or unset), so
// the pledge hash leaves the default out.
func factorArg(f float64) string {
	if f == 0 || f == 1 {
		return ""
	}
	return num(f)
}

// refArg is a record number for a script: "" for none.
func refArg(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func measureArg(m string) string {
	if m == bot.MeasureRate {
		return m
	}
	return ""
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func dueScore(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// reqKey turns a platform's request id into 16 characters (base64url of
// the first 96 bits of its SHA-256), whatever the platform sends: a Slack
// trigger id (~60 characters) or a Discord snowflake (19 digits), and the
// record keeps nothing of the id itself: it keeps 48 of those bits as 6
// bytes (req_bytes in lua/prelude.lua), which keep a collision among one
// person's requests of two days negligible. An empty id stays empty: no
// idempotency asked.
func reqKey(id string) string {
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// progressCall is the argument list of lua/progress.lua, in one place.
type progressCall struct {
	Actor  bot.Actor
	Req    string
	Pledge int
	Amount float64 // in the pledge's own unit
	Event  eventJSON
	// What the partner's people are asked to confirm (bot.ProgressNotice
	// in JSON), in the community, with the amount in words and its unit's
	// singular table (singularArg).
	Community, Notice, Number, Singular string
}

func (c progressCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Pledge, num(c.Amount), c.Event.json, c.Event.at,
		c.Community, c.Notice, c.Number, c.Singular)
}

// revokeLinksCall is the argument list of lua/revoke_links.lua.
type revokeLinksCall struct {
	Actor  bot.Actor
	Req    string
	Pledge int
}

func (c revokeLinksCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Pledge)
}

// transitionCall is the argument list of lua/transition.lua.
type transitionCall struct {
	Actor  bot.Actor
	Req    string
	Pledge int
	To     string // the status to move to
	Event  eventJSON
}

func (c transitionCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Pledge, c.To, c.Event.json, c.Event.at)
}

// editPledgeCall is the argument list of lua/edit_pledge.lua.
type editPledgeCall struct {
	Actor    bot.Actor
	Req      string
	Pledge   int
	Event    eventJSON
	DueScore int64 // dueScore of the due date the pledge will have
	Fields   []any // field value pairs to change
}

func (c editPledgeCall) argv() []any {
	return append(append(actorArgs(c.Actor, reqKey(c.Req)), c.Pledge, c.Event.json, c.Event.at, c.DueScore), c.Fields...)
}

// getPledgeCall is the argument list of lua/get_pledge.lua.
type getPledgeCall struct {
	Actor   bot.Actor
	Pledge  int
	History string // "all" for the whole history
}

func (c getPledgeCall) argv() []any {
	return []any{c.Actor.ID.Key(), flag(c.Actor.Admin), c.Pledge, c.History}
}

// listPledgesCall is the argument list of lua/list_pledges.lua.
type listPledgesCall struct {
	Actor   bot.Actor
	Filter  bot.PledgeFilter // Limit already defaulted
	ScanCap int
}

func (c listPledgesCall) argv() []any {
	f := c.Filter
	args := []any{c.Actor.ID.Key(), flag(c.Actor.Admin), f.Business, f.Status, f.Theme, f.Limit, c.ScanCap, f.Partner, flag(f.Mine)}
	if !f.OutcomeTo.IsZero() {
		args = append(args, f.OutcomeFrom.Unix(), f.OutcomeTo.Unix())
	}
	return args
}
