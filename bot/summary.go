package bot

import (
	"context"
	"time"
)

// Period is a span of whole UTC days, [Start, End).
type Period struct {
	Label string
	Start time.Time
	End   time.Time
	// Daily periods (last-30d) are summed from day buckets, calendar ones
	// (months, quarters, years) from month buckets.
	Daily bool
}

// SummaryFilter says which counters a summary reads.
type SummaryFilter struct {
	Period   Period
	Previous Period
	Theme    string // "" for every theme
	Area     string // "" for the whole network, else a postcode area (CB) or district (CB1)
}

// ThemeStats are the figures of one theme over a period. A pledge is live
// during a period when it was made before the period's end and not done or
// lapsed before its start; withdrawn pledges count in no figure but
// Withdrawn. Live, Committed and ToDate are about the live pledges, so
// ToDate ÷ Committed compares like with like; Made, Done, Lapsed,
// Withdrawn and Delivered are what happened in the period; Active is the
// stock at its end.
type ThemeStats struct {
	Theme     string
	Made      int // pledges made in the period
	Done      int
	Lapsed    int
	Withdrawn int
	Active    int // active at the end of the period
	Live      int // pledges live during the period
	// Committed is the live pledges' targets, in the theme's unit.
	Committed float64
	// Delivered is the progress logged in the period (on any pledge, all of
	// them live then).
	Delivered float64
	// ToDate is what was delivered on the live pledges from when each was
	// made up to the end of the period.
	ToDate float64
	// DeliveredBy and ToDateBy split Delivered and ToDate by who vouches
	// for each progress entry; their parts add up to them exactly.
	DeliveredBy Vouched
	ToDateBy    Vouched
	// Rate holds the figures of a rate theme (Theme.IsRate), whose
	// Committed and Delivered mean nothing and are never shown.
	Rate RateStats
}

// RateStats describe a rate theme's businesses by their latest reported
// values: how many report, how many met their target, and the median and
// range of the values. Rates are never summed.
type RateStats struct {
	Pledges int // live pledges of the theme
	// Businesses counts the businesses taking part in the theme during the
	// period, each once: a business takes part from its first pledge of
	// the theme until all of them are closed (a gap between them
	// included). Reporting, Met, By and the median and range
	// are of them: each at the latest value it reported on any of its
	// pledges of the theme, met against that pledge's target.
	Businesses int
	Reporting  int // of those businesses, how many have reported a value
	Met        int // of those reporting, how many reached their target
	Median     float64
	Min        float64
	Max        float64
	// By splits Reporting by who vouches for each business's latest value
	// (the entry it reported last before the period's end).
	By VouchedCount
}

// Vouched splits an amount delivered by who says so: its partner confirmed
// it, it awaits the partner's confirmation (the pledge names a partner,
// who has neither confirmed nor queried the entry), the partner queried
// it, or it is self-reported (the pledge names no partner). The parts add
// up to the amount they split.
type Vouched struct {
	Confirmed, Awaiting, Queried, SelfReported float64
}

// Total is what the parts add up to.
func (v Vouched) Total() float64 { return v.Confirmed + v.Awaiting + v.Queried + v.SelfReported }

// Add adds w's parts to v's.
func (v Vouched) Add(w Vouched) Vouched {
	return Vouched{v.Confirmed + w.Confirmed, v.Awaiting + w.Awaiting, v.Queried + w.Queried, v.SelfReported + w.SelfReported}
}

// Line says the split, confirmed first, as every chat surface does:
// "confirmed 9 hours · awaiting confirmation 0 hours · queried 0 hours ·
// self-reported 7 hours".
func (v Vouched) Line(unit string) string {
	a := func(f float64) string { return FormatAmount(f, unit) }
	return "confirmed " + a(v.Confirmed) + " · awaiting confirmation " + a(v.Awaiting) + " · queried " + a(v.Queried) +
		" · self-reported " + a(v.SelfReported)
}

// VouchedCount is Vouched for a count of businesses reporting a rate.
type VouchedCount struct {
	Confirmed, Awaiting, Queried, SelfReported int
}

// PeriodStats are the counters of one period.
type PeriodStats struct {
	// Businesses is how many businesses made, updated or closed a pledge in
	// the period.
	Businesses int
	// Decisions counts s172 decision records dated in the period, board-
	// confidential ones included (counted, never shown); -1 when a theme or
	// area filter makes it meaningless.
	Decisions int
	Themes    map[string]*ThemeStats
}

// SummaryStore reads the running counters behind /summary and keeps the
// report-link secret.
type SummaryStore interface {
	// Summary reads the current and previous period in one round trip.
	Summary(ctx context.Context, community string, f SummaryFilter, now time.Time) (cur, prev PeriodStats, err error)
	// ReportSecret returns the community's link-signing secret. With
	// create it makes and keeps one if there is none yet; without, a
	// missing secret is returned as nil (checking a link never writes).
	ReportSecret(ctx context.Context, community string, create bool) ([]byte, error)
}

// RoleAdminStore changes community roles granted at run time.
type RoleAdminStore interface {
	// GrantRole reports false when the person already held the role.
	GrantRole(ctx context.Context, community string, who Identity, r Role) (bool, error)
	// RevokeRole reports false when the person did not hold the role.
	RevokeRole(ctx context.Context, community string, who Identity, r Role) (bool, error)
	// RoleGrants lists who holds each granted role.
	RoleGrants(ctx context.Context, community string) (map[Role][]Identity, error)
}
