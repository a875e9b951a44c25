package bot

import (
	"fmt"
	"time"
)

// Theme is one kind of pledge councils count, with the unit it is counted in.
type Theme struct {
	Key  string `yaml:"key"`
	Name string `yaml:"name"`
	Unit string `yaml:"unit"`
	// Measure says how the theme's amounts combine: MeasureTotal (the
	// default) or MeasureRate.
	Measure string `yaml:"measure"`
	// Council names the council measure the theme mirrors, by reference
	// (e.g. a National TOMs measure id), or "record only".
	Council string `yaml:"council"`
	// Proxy is an optional council-set £ value per unit, shown apart from
	// the raw figures as "indicative £".
	Proxy *Proxy `yaml:"proxy"`
}

// Measures: how a theme's amounts combine.
const (
	// MeasureTotal amounts add up across pledges and businesses: hours,
	// £, tonnes, weeks, people.
	MeasureTotal = "total"
	// MeasureRate is a share a business reports about itself (Living Wage
	// share, invoices paid on time): a pledge's progress is its latest
	// reported value, and summaries never sum it.
	MeasureRate = "rate"
)

// IsRate reports whether the theme is a rate: its progress is the latest
// value reported, never a sum.
func (t Theme) IsRate() bool { return t.Measure == MeasureRate }

// Proxy is a council's own £ value for one unit of a theme, with where it
// comes from: e.g. {Per: 1, Value: 16.94, Source: "Council social value
// framework", Year: 2026}.
type Proxy struct {
	Per    float64 `yaml:"per"`
	Value  float64 `yaml:"value"`
	Source string  `yaml:"source"`
	Year   int     `yaml:"year"`
}

// Business is a member organisation of a community.
type Business struct {
	Number    int              `json:"number"`
	Name      string           `json:"name"`
	Sector    string           `json:"sector,omitempty"`
	Postcode  string           `json:"postcode,omitempty"`
	CreatedBy Identity         `json:"created_by"`
	CreatedAt time.Time        `json:"created_at"`
	Members   []BusinessMember `json:"members"`
	// NeedsOwner: its last owner was erased with no member left to take
	// it over; an admin should add one.
	NeedsOwner bool `json:"needs_owner,omitempty"`
	// Form is its legal form (Forms), "" when not recorded.
	Form string `json:"form,omitempty"`
	// Size is the company size it declared (Sizes), "" when not; figures,
	// when they tell, win (SizeFor).
	Size    string  `json:"size,omitempty"`
	Figures Figures `json:"figures,omitzero"`
	YearEnd YearEnd `json:"year_end,omitzero"`
}

// BusinessMember is a person's standing in one business.
type BusinessMember struct {
	Who  Identity `json:"who"`
	Role Role     `json:"role"` // RoleOwner or RoleMember
}

// Partner is a community partner: a charity, school, club, community group
// or council service that pledges are made to, with people of its own.
type Partner struct {
	Number    int             `json:"number"`
	Name      string          `json:"name"`
	Area      string          `json:"area,omitempty"` // a postcode or its first part
	About     string          `json:"about,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	Members   []PartnerMember `json:"members"`
	// NeedsOwner: its last partner-owner was erased with nobody left to
	// take it over; an admin or coordinator should add one.
	NeedsOwner bool `json:"needs_owner,omitempty"`
}

// PartnerMember is a person's standing in one partner.
type PartnerMember struct {
	Who  Identity `json:"who"`
	Role Role     `json:"role"` // RolePartnerOwner or RolePartnerMember
}

// Pledge statuses.
const (
	StatusActive    = "active"
	StatusDone      = "done"
	StatusWithdrawn = "withdrawn"
	StatusLapsed    = "lapsed"
)

// Visibilities.
const (
	Public  = "public"
	Private = "private"
)

// Pledge is a promise a business made to its community.
type Pledge struct {
	Number       int     `json:"number"`
	Business     int     `json:"business"`
	BusinessName string  `json:"business_name,omitempty"`
	Text         string  `json:"text"`
	Theme        string  `json:"theme"`
	Target       float64 `json:"target"` // 0 when none was given
	Unit         string  `json:"unit"`
	// Factor converts the pledge's unit to its theme's: Target and
	// Progress are kept in the theme's unit (so every total adds like with
	// like) and shown on the pledge divided by Factor. 0 on pledges made
	// before units converted: their amounts are as given, in Unit.
	Factor float64 `json:"factor,omitempty"`
	// Rate is true for a pledge of a rate theme: Progress is the latest
	// value reported, never a sum.
	Rate       bool      `json:"rate,omitempty"`
	Due        time.Time `json:"due"` // zero when none was given
	Visibility string    `json:"visibility"`
	Status     string    `json:"status"`
	Progress   float64   `json:"progress"`
	// Partner is the number of the community partner the pledge is made
	// to, 0 when it names none.
	Partner int `json:"partner,omitempty"`
	// Need is the number of the need it is made against, 0 when none.
	Need int `json:"need,omitempty"`
	// Checks is what the partner said of each progress entry (by its
	// number): CheckConfirmed or CheckQueried; an entry not there awaits
	// confirmation.
	Checks map[int]string `json:"checks,omitempty"`
	// Outcome is what difference the pledge made, in its partner's own
	// words (the latest said; the history keeps every one); nil when none.
	Outcome *Outcome `json:"outcome,omitempty"`
	// LinkGen is the generation of its confirm links: a link made in an
	// earlier one was withdrawn (/pledge confirm-link N revoke).
	LinkGen   int       `json:"-"`
	CreatedBy Identity  `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Outcome is a partner's account of what difference a pledge made.
type Outcome struct {
	Text string    `json:"text"`
	By   string    `json:"by"` // Identity.Key(), "erased" after an erasure
	At   time.Time `json:"at"`
}

// MaxOutcome bounds an outcome's text: a short case study, not a report.
const MaxOutcome = 600

// Event is one entry of a pledge's history.
type Event struct {
	At      time.Time         `json:"at"`
	By      string            `json:"by"` // Identity.Key()
	Kind    string            `json:"kind"`
	Amount  float64           `json:"amount,omitempty"`
	Note    string            `json:"note,omitempty"`
	Changes map[string]string `json:"changes,omitempty"`
	// Entry numbers progress entries (1, 2, ... in the order logged), and
	// names the entry a correction changes.
	Entry int `json:"entry,omitempty"`
}

// What a partner says of a progress entry (Pledge.Checks).
const (
	CheckConfirmed = "c"
	CheckQueried   = "q"
)

// EntryPlaceholder stands in a query's notice for the number of the entry
// queried: the default entry is found by the store, which puts it there.
const EntryPlaceholder = "\x00entry"

// QueryNotice is what a business's owners are told of a query about
// pledge n, whether it came through the chat or a confirm link: who says
// it ("They say", or a link visitor's name with "says"), the note, and the two ways to
// answer. The entry's number is left to the store (EntryPlaceholder): a
// query without entry: is about the latest entry, which the store finds.
func QueryNotice(n int, who, note string) Reply {
	e := EntryPlaceholder
	return Reply{Title: fmt.Sprintf("Pledge #%d: its community partner queried progress entry %s", n, e),
		Text: fmt.Sprintf("%s: %s\nIf the entry was wrong, correct it with /pledge correct %d AMOUNT entry:%s (0 strikes it); "+
			"if it was right, answer with /pledge reply %d entry:%s NOTE. /pledge show %d shows its history. The partner can then confirm it.",
			who, note, n, e, n, e, n)}
}

// CheckEntry is a partner's word on one progress entry.
type CheckEntry struct {
	Pledge int
	Entry  int    // 0: the latest entry not struck
	Query  bool   // a query, not a confirmation
	Note   string // a query's: what is in doubt
	// Notice is what the business's owners are told of a query, with
	// EntryPlaceholder for the entry's number.
	Notice Reply
	// Visitor is the name a confirm link's visitor gave: the link is the
	// right, not the actor, and the history records LinkVisitor(Visitor).
	// Partner is then the partner the link was made for; the store refuses
	// it once the pledge is made to another.
	Visitor string
	Partner int
	// LinkGen is the link generation the visitor's link carries: the store
	// refuses it once /pledge confirm-link N revoke has moved on, in the
	// same step as the confirmation, so no post slips past a revoke.
	LinkGen int
}

// LinkVisitor is who a pledge's history and the audit name for a confirm
// link's visitor: no identity, so no chat renders it as a mention.
func LinkVisitor(name string) string { return "link visitor " + name + " via confirm link" }

// Event kinds.
const (
	EventCreated   = "created"
	EventProgress  = "progress"
	EventDone      = "done"
	EventEdited    = "edited"
	EventCorrected = "corrected" // Entry names the progress entry, Amount its new amount, Changes["was"] the old
	EventReopened  = "reopened"
	EventWithdrawn = "withdrawn"
	EventConfirmed = "confirmed" // Entry names the progress entry its partner confirmed
	EventQueried   = "queried"   // Entry names the progress entry its partner queried, Note why
	EventReplied   = "replied"   // Entry names the progress entry its business answered about, Note the answer
	EventOutcome   = "outcome"   // Note is the outcome its partner recorded
	EventUnlinked  = "unlinked"  // its partner was deleted: Changes["partner"] names it
)

// NewPledge is what /pledge add asks the store to create.
type NewPledge struct {
	Business   int // 0: the actor's only business
	Text       string
	Theme      string
	Target     float64 // in the theme's unit
	Unit       string  // the unit the person gave
	Factor     float64 // Unit to the theme's unit (1 when the same)
	Measure    string  // the theme's: MeasureRate, or "" / MeasureTotal
	Due        time.Time
	Visibility string
	Partner    int // 0: none
	Need       int // the need it is made against, 0: none
}

// PledgeEdit holds the fields /pledge edit changes; nil leaves a field alone.
type PledgeEdit struct {
	Text       *string
	Theme      *string
	Target     *float64 // in the theme's unit
	Unit       *string
	Factor     *float64 // set with Unit or Theme: Unit to the theme's unit
	Measure    *string  // set with Theme: the new theme's measure
	Due        *time.Time
	Visibility *string
	Partner    *int // 0 clears it
}

// PledgeFilter narrows /pledge list.
type PledgeFilter struct {
	Business int
	Partner  int  // pledges made to this partner
	Mine     bool // pledges the actor made, or of businesses the actor owns
	Status   string
	Theme    string
	Limit    int
	// OutcomeFrom and OutcomeTo, when OutcomeTo is set, list only the
	// pledges whose latest outcome was recorded in [OutcomeFrom,
	// OutcomeTo), newest outcome first.
	OutcomeFrom, OutcomeTo time.Time
}

// Actor is the person running a command, as the store needs to know them to
// check permissions inside its atomic writes.
type Actor struct {
	ID    Identity
	Admin bool // admin by configuration (the store also knows granted admins)
}
