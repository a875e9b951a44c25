package bot

import (
	"context"
	"time"
)

// AuditEntry is one state change in a community's audit trail.
type AuditEntry struct {
	ID       string    `json:"id"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	Action   string    `json:"action"`
	Business int       `json:"business,omitempty"`
	Pledge   int       `json:"pledge,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}

// BusinessExport is everything stored about one business.
type BusinessExport struct {
	Business Business     `json:"business"`
	Pledges  []PledgeData `json:"pledges"`
	Audit    []AuditEntry `json:"audit"`
	// Decisions are its s172 decision records, board ones included.
	Decisions []Decision `json:"s172_decisions"`
	// Stakeholders is its s172 stakeholder register.
	Stakeholders []Stakeholder `json:"s172_stakeholders"`
	Exported     time.Time     `json:"exported_at"`
}

// PartnerExport is everything stored about one community partner: its
// people, the pledges made to it with their histories (progress entries
// and what it said of each, outcomes).
type PartnerExport struct {
	Partner  Partner      `json:"partner"`
	Pledges  []PledgeData `json:"pledges"`
	Exported time.Time    `json:"exported_at"`
}

// PledgeData is a pledge with its whole history, for exports.
type PledgeData struct {
	Pledge
	History []Event `json:"history"`
}

// RightsStore serves people's data rights and the audit trail.
type RightsStore interface {
	ExportBusiness(ctx context.Context, community string, actor Actor, n int) (BusinessExport, error)
	DeleteBusiness(ctx context.Context, community string, actor Actor, n int, reqID string) error
	// ExportPartner gathers a partner for its partner-owners, admins and
	// coordinators; pledges the actor may not see are left out.
	ExportPartner(ctx context.Context, community string, actor Actor, n int) (PartnerExport, error)
	Audit(ctx context.Context, community string, business, limit int) ([]AuditEntry, error)
}
