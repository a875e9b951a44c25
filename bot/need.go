package bot

import (
	"context"
	"time"
)

// A need's status. NeedMet is never stored: a need is met while what was
// delivered against it reaches its target, so a correction that lowers
// the delivered amount puts it back to open.
const (
	NeedOpen   = "open"
	NeedClosed = "closed"
	NeedMet    = "met"
)

// Need is what a community partner, a coordinator or the council says the
// community needs, for businesses to pledge against. Amounts are in the
// theme's unit; Factor shows them in Unit, as on a pledge.
type Need struct {
	Number    int
	Text      string
	Theme     string
	Target    float64 // in the theme's unit
	Unit      string  // as the poster gave it
	Factor    float64 // Unit to the theme's unit (1 or 0: the same)
	Partner   int     // 0: none
	Area      string  // a postcode area or district, "" for anywhere
	Due       time.Time
	Status    string // NeedOpen or NeedClosed as stored; Figures says met
	PostedBy  Identity
	CreatedAt time.Time
	ClosedAt  time.Time
	// MetAt is when what was delivered against it last reached its target
	// (zero while it is below): the digest's "needs met this week".
	MetAt time.Time
	// Against it: the pledges made against it that are not withdrawn.
	Pledges []NeedPledge
}

// NeedPledge is one pledge against a need, amounts in the theme's unit.
type NeedPledge struct {
	Number       int
	Business     int
	BusinessName string
	Private      bool
	Status       string
	Target       float64
	Delivered    float64
	Confirmed    float64 // the progress entries its partner confirmed
	Awaiting     float64 // those awaiting its partner's word
	Queried      float64 // those its partner queried
}

// NeedFigures are the sums against a need, in the theme's unit: pledged
// counts the targets of pledges still active or done (a lapsed pledge
// will not deliver more), delivered counts every pledge not withdrawn,
// and By splits it by who says so, as the summaries do.
type NeedFigures struct {
	Pledged, Delivered, Confirmed float64
	By                            Vouched
}

// Figures sums a need's pledges.
func (n Need) Figures() NeedFigures {
	var f NeedFigures
	for _, p := range n.Pledges {
		if p.Status == StatusActive || p.Status == StatusDone {
			f.Pledged += p.Target
		}
		f.Delivered += p.Delivered
		f.By = f.By.Add(Vouched{Confirmed: p.Confirmed, Awaiting: p.Awaiting, Queried: p.Queried,
			SelfReported: p.Delivered - p.Confirmed - p.Awaiting - p.Queried})
	}
	f.Pledged, f.Delivered = UnitRound(f.Pledged), UnitRound(f.Delivered)
	f.By = Vouched{UnitRound(f.By.Confirmed), UnitRound(f.By.Awaiting), UnitRound(f.By.Queried), UnitRound(f.By.SelfReported)}
	f.Confirmed = f.By.Confirmed
	return f
}

// State is the need's status as people read it: closed, met (delivered
// reaches a target), or open.
func (n Need) State() string {
	if n.Status == NeedClosed {
		return NeedClosed
	}
	if n.Target > 0 && n.Figures().Delivered >= n.Target {
		return NeedMet
	}
	return NeedOpen
}

// Shown is an amount in the theme's unit shown in the need's own unit.
func (n Need) Shown(amount float64) float64 {
	if n.Factor <= 0 || n.Factor == 1 {
		return amount
	}
	return UnitRound(amount / n.Factor)
}

// NeedFilter narrows /need list; empty fields match everything.
type NeedFilter struct {
	Theme, Area, Status string
}

// NeedStore keeps needs and the pledges made against them.
type NeedStore interface {
	// PostNeed creates a need. A partner's people post for their partner;
	// council, coordinators and admins for any partner or none.
	PostNeed(ctx context.Context, community string, actor Actor, n Need, reqID string) (Need, error)
	// Need reads a need with its pledges.
	Need(ctx context.Context, community string, n int) (Need, error)
	// Needs lists needs, newest first, with their pledges.
	Needs(ctx context.Context, community string) ([]Need, error)
	// CloseNeed closes a need: its partner's people, its poster,
	// coordinators and admins may.
	CloseNeed(ctx context.Context, community string, actor Actor, n int, reqID string) (Need, error)
}
