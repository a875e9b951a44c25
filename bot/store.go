package bot

import (
	"context"
	"time"
)

// Store is the persistence the commands need, one interface per domain so
// each capability adds its own. The Redis implementation lives in package
// store; permission checks that must be atomic with a write (membership of
// the business being changed) happen inside it.
type Store interface {
	BusinessStore
	BusinessNameStore
	PartnerStore
	NeedStore
	PledgeStore
	RoleStore
	RoleAdminStore
	SummaryStore
	RightsStore
	S172Store
	ScheduleStore
}

// BusinessStore keeps businesses and who acts for them.
type BusinessStore interface {
	RegisterBusiness(ctx context.Context, community string, actor Actor, b Business, reqID string) (Business, error)
	Business(ctx context.Context, community string, n int) (Business, error)
	Businesses(ctx context.Context, community string) ([]Business, error)
	BusinessesOf(ctx context.Context, community string, who Identity) ([]Business, error)
	SetMember(ctx context.Context, community string, actor Actor, business int, who Identity, role Role, reqID string) error
	RemoveMember(ctx context.Context, community string, actor Actor, business int, who Identity, reqID string) error
	// EditBusiness changes a business's company details (owners and
	// admins) and returns the business as it now is.
	EditBusiness(ctx context.Context, community string, actor Actor, business int, e BusinessEdit, reqID string) (Business, error)
}

// BusinessEdit names the company details to change: nil keeps one; an
// empty string, an unknown Figure or a zero YearEnd clears it.
type BusinessEdit struct {
	Form, Size                        *string
	Turnover, BalanceSheet, Employees *Figure
	YearEnd                           *YearEnd
}

// PartnerStore keeps community partners and who acts for them. A partner's
// people hold RolePartnerOwner or RolePartnerMember in it.
type PartnerStore interface {
	// RegisterPartner creates a partner with owner as its partner-owner;
	// an owner other than the actor needs the actor to be an admin or a
	// coordinator.
	RegisterPartner(ctx context.Context, community string, actor Actor, p Partner, owner Identity, reqID string) (Partner, error)
	Partner(ctx context.Context, community string, n int) (Partner, error)
	Partners(ctx context.Context, community string) ([]Partner, error)
	PartnersOf(ctx context.Context, community string, who Identity) ([]Partner, error)
	SetPartnerMember(ctx context.Context, community string, actor Actor, partner int, who Identity, role Role, reqID string) error
	RemovePartnerMember(ctx context.Context, community string, actor Actor, partner int, who Identity, reqID string) error
}

// PledgeStore keeps pledges, their history and running totals.
type PledgeStore interface {
	AddPledge(ctx context.Context, community string, actor Actor, p NewPledge, reqID string) (Pledge, error)
	Pledge(ctx context.Context, community string, actor Actor, n int) (Pledge, []Event, error)
	Pledges(ctx context.Context, community string, actor Actor, f PledgeFilter) ([]Pledge, error)
	// CorrectProgress changes progress entry k (0: the latest not struck)
	// of pledge n to amount, in the pledge's own unit; 0 strikes it.
	CorrectProgress(ctx context.Context, community string, actor Actor, n, k int, amount float64, note, reqID string) (Pledge, error)
	// CheckEntry records a partner's member confirming or querying a
	// progress entry (a query also tells the business's owners, once); it
	// returns the pledge and the entry's number.
	CheckEntry(ctx context.Context, community string, actor Actor, ce CheckEntry, reqID string) (Pledge, int, error)
	// ReplyEntry records a business's answer about progress entry k (0:
	// the latest not struck) of a pledge made to a partner, and tells the
	// partner's people (notice, EntryPlaceholder for the entry's number) in
	// the same step; it returns the pledge and the entry's number.
	ReplyEntry(ctx context.Context, community string, actor Actor, n, k int, note string, notice Reply, reqID string) (Pledge, int, error)
	// RecordOutcome records, for a partner's member, what difference
	// pledge n made; a later outcome replaces the earlier (the history
	// keeps both).
	RecordOutcome(ctx context.Context, community string, actor Actor, n int, text, reqID string) (Pledge, error)
	// ReopenPledge puts a done or lapsed pledge back to active; due, when
	// not zero, becomes its due date.
	// RevokeConfirmLinks withdraws every confirm link made so far for
	// pledge n (the business's owners and admins).
	RevokeConfirmLinks(ctx context.Context, community string, actor Actor, n int, reqID string) (Pledge, error)
	ReopenPledge(ctx context.Context, community string, actor Actor, n int, due, today time.Time, reqID string) (Pledge, error)
	LogProgress(ctx context.Context, community string, actor Actor, n int, amount float64, note, reqID string) (Pledge, error)
	CompletePledge(ctx context.Context, community string, actor Actor, n int, note, reqID string) (Pledge, error)
	EditPledge(ctx context.Context, community string, actor Actor, n int, e PledgeEdit, reqID string) (Pledge, error)
	WithdrawPledge(ctx context.Context, community string, actor Actor, n int, reqID string) (Pledge, error)
}

// RoleStore keeps community-wide roles granted at run time.
type RoleStore interface {
	// Roles returns the community roles granted to a person in storage.
	Roles(ctx context.Context, community string, who Identity) ([]Role, error)
}
