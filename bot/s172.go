package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Factors are the letters of the Companies Act 2006 s172(1) matters, in order.
var Factors = []string{"a", "b", "c", "d", "e", "f"}

// Confidentiality of a decision record.
const (
	Board     = "board"     // the business and admins only (default)
	Shareable = "shareable" // anyone in the community may read it
)

// DecisionFields are the parts of a decision record a person writes. The
// same names key amendments (see Amendment.Changes): title, date, options,
// stakeholders, a-f, tradeoffs, outcome, followups, review, pledges,
// confidentiality.
type DecisionFields struct {
	Title   string
	Date    time.Time // when the decision was taken
	Options string    // options considered
	// Stakeholders says how the views of those affected were heard (option
	// heard:; stored as "stakeholders", its name before the register).
	Stakeholders string
	// Groups are the stakeholder groups affected, named from the business's
	// register as they were called when the record was written.
	Groups          []string
	Principal       string    // "yes" (a principal decision), "no", or "" not said
	Directors       string    // who decided: names or roles
	Meeting         time.Time // the board meeting that decided; zero when none given
	Factors         map[string]string
	Tradeoffs       string
	Outcome         string
	Followups       string
	Review          time.Time // zero when none
	Pledges         []int
	Confidentiality string
}

// Amendment is one later change to a decision: who, when, and the new value
// of each field it names ("" clears an optional field). Amendments only ever
// append; the original record is never rewritten.
type Amendment struct {
	At      time.Time         `json:"at"`
	By      string            `json:"by"` // Identity.Key()
	Changes map[string]string `json:"changes"`
}

// Decision is one s172 decision record with its history.
type Decision struct {
	Number       int
	Business     int
	BusinessName string
	BusinessForm string // its business's legal form ("" not recorded)
	Original     DecisionFields
	Amendments   []Amendment
	CreatedBy    Identity
	CreatedAt    time.Time
	// Current is Original with every amendment applied in order.
	Current DecisionFields
}

// Changes returns f as field/value strings, the form amendments and the
// store use. Zero dates and empty texts are "".
func (f DecisionFields) Changes() map[string]string {
	m := map[string]string{
		"title": f.Title, "date": dateString(f.Date), "options": f.Options, "stakeholders": f.Stakeholders,
		"tradeoffs": f.Tradeoffs, "outcome": f.Outcome, "followups": f.Followups,
		"review": dateString(f.Review), "pledges": JoinRefs(f.Pledges), "confidentiality": f.Confidentiality,
		"groups": strings.Join(f.Groups, ","), "principal": f.Principal, "directors": f.Directors, "meeting": dateString(f.Meeting),
	}
	for _, l := range Factors {
		m[l] = f.Factors[l]
	}
	return m
}

// Apply returns f with the changes of one amendment made. Unknown names and
// unreadable values are ignored: what the store holds was validated when
// written.
func (f DecisionFields) Apply(ch map[string]string) DecisionFields {
	out := f
	out.Factors = make(map[string]string, len(Factors))
	for k, v := range f.Factors {
		out.Factors[k] = v
	}
	out.Pledges = slices.Clone(f.Pledges)
	out.Groups = slices.Clone(f.Groups)
	for k, v := range ch {
		switch k {
		case "title":
			out.Title = v
		case "date":
			out.Date, _ = time.Parse(time.DateOnly, v)
		case "options":
			out.Options = v
		case "stakeholders":
			out.Stakeholders = v
		case "tradeoffs":
			out.Tradeoffs = v
		case "outcome":
			out.Outcome = v
		case "followups":
			out.Followups = v
		case "review":
			out.Review, _ = time.Parse(time.DateOnly, v)
		case "pledges":
			out.Pledges = ParseRefs(v)
		case "confidentiality":
			out.Confidentiality = v
		case "groups":
			out.Groups = nil
			if v != "" {
				out.Groups = strings.Split(v, ",")
			}
		case "principal":
			out.Principal = v
		case "directors":
			out.Directors = v
		case "meeting":
			out.Meeting, _ = time.Parse(time.DateOnly, v)
		default:
			if IsFactor(k) {
				if v == "" {
					delete(out.Factors, k)
				} else {
					out.Factors[k] = v
				}
			}
		}
	}
	return out
}

// FieldsFrom reads DecisionFields from their string form.
func FieldsFrom(m map[string]string) DecisionFields {
	return DecisionFields{Factors: map[string]string{}}.Apply(m)
}

// HasFactor reports whether the decision records letter l as material.
func (f DecisionFields) HasFactor(l string) bool { return f.Factors[l] != "" }

// IsFactor reports whether l is one of the s172(1) letters a-f.
func IsFactor(l string) bool { return slices.Contains(Factors, l) }

// JoinRefs writes numbers as "7,9".
func JoinRefs(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// ParseRefs reads "7,9" as stored; bad parts are skipped.
func ParseRefs(s string) []int {
	var out []int
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(p); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// DecisionFilter narrows /s172 list. Zero values mean "any".
type DecisionFilter struct {
	Business int
	From, To time.Time // decision date range, inclusive
	Factor   string
	Limit    int
	History  bool // rows carry the original and the amendments (statements mark amended records)
}

// S172Store keeps s172 decision records. Visibility rules live in the store
// so they hold atomically: board records are seen only by the members and
// owners of their business and by admins; shareable ones by everyone in the
// community.
type S172Store interface {
	// LogDecision records a decision for business (0: the actor's only one).
	LogDecision(ctx context.Context, community string, actor Actor, business int, f DecisionFields, reqID string) (Decision, error)
	// AmendDecision appends an amendment made of the named changes.
	AmendDecision(ctx context.Context, community string, actor Actor, n int, changes map[string]string, reqID string) (Decision, error)
	// Decision reads one decision with its whole history.
	Decision(ctx context.Context, community string, actor Actor, n int) (Decision, error)
	// Decisions lists the decisions the actor may see, newest decision first.
	Decisions(ctx context.Context, community string, actor Actor, f DecisionFilter) ([]Decision, error)
	// DecisionsDueForReview lists decisions whose current review date falls
	// in [from, to], soonest first, whatever their confidentiality: callers
	// (the reminder job) send each to its own business only.
	DecisionsDueForReview(ctx context.Context, community string, from, to time.Time) ([]Decision, error)
	// S172Counts counts decisions taken in [from, to]: all of them, the
	// shareable ones, and per factor letter. Counts are all that aggregates
	// may show of board records.
	S172Counts(ctx context.Context, community string, from, to time.Time) (total, shareable int, byFactor map[string]int, err error)
	// SharedDecisions lists the shareable decisions taken in [from, to] for
	// digests and summaries, oldest first.
	SharedDecisions(ctx context.Context, community string, from, to time.Time) ([]Decision, error)
	// AddStakeholder adds a group to a business's stakeholder register (0:
	// the actor's only business), or changes how it is engaged; it returns
	// the business and whether the group was there already.
	AddStakeholder(ctx context.Context, community string, actor Actor, business int, s Stakeholder, reqID string) (int, bool, error)
	// RemoveStakeholder takes a group off the register by name.
	RemoveStakeholder(ctx context.Context, community string, actor Actor, business int, name, reqID string) (int, error)
	// Stakeholders lists a business's register, by name.
	Stakeholders(ctx context.Context, community string, actor Actor, business int) (int, []Stakeholder, error)
}

// Stakeholder is one group in a business's stakeholder register: who, and
// how the board engages with them.
type Stakeholder struct {
	Name string `json:"name"`
	How  string `json:"how,omitempty"`
}

// GroupKey is a stakeholder group's key in its register: case and
// look-alike characters do not make a second group.
func GroupKey(name string) string { return NameKey(strings.ToLower(name)) }
