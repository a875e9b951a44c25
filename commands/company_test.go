package commands_test

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

func TestBusinessCompanyDetails(t *testing.T) {
	h := pledgetest.New(t)
	out := h.MustDo("alice", "/business register Acme form:company turnover:£60m balance-sheet:30m employees:120 year-end:03-31")
	// Today is 24 Nov 2026: the year to 31 March 2027 began 1 April 2026.
	for _, want := range []string{"Legal form: company", "Company size: large, worked out from turnover £60,000,000, balance sheet £30,000,000, employees 120",
		"large means exceeding two of turnover £54m, balance sheet £27m, 250 employees (financial years beginning on or after 6 April 2025, SI 2024/1303)",
		"two consecutive years", "Financial year end: 31 March", "must include a section 172(1) statement in its strategic report (s414CZA) and publish it on its website (s426B)"} {
		if !strings.Contains(out, want) {
			t.Errorf("register lacks %q:\n%s", want, out)
		}
	}
	// Lowering one figure merges with the others: medium now.
	out = h.MustDo("alice", "/business edit balance-sheet:20m")
	if !strings.Contains(out, "medium, worked out from turnover £60,000,000, balance sheet £20,000,000, employees 120") ||
		!strings.Contains(out, "need not publish") {
		t.Errorf("edit:\n%s", out)
	}
	// A declared size stands when the figures are cleared.
	out = h.MustDo("alice", "/business edit turnover:- balance-sheet:unknown employees:- size:small")
	if !strings.Contains(out, "Company size: small (as declared)") {
		t.Errorf("declared:\n%s", out)
	}
	if show := h.MustDo("bob", "/business show 1"); !strings.Contains(show, "Company size: small (as declared)") {
		t.Errorf("show:\n%s", show)
	}
	// Becoming a partnership sheds the company size and says s172 does not bind it.
	out = h.MustDo("alice", "/business edit form:partnership")
	if strings.Contains(out, "Company size") || !strings.Contains(out, "s172 binds company directors, and a partnership is not a company") {
		t.Errorf("partnership:\n%s", out)
	}
	h.MustFail("alice", "/business edit size:large", bot.Invalid)
	h.MustFail("alice", "/business register Solo form:sole-trader size:large", bot.Invalid)
	h.MustFail("alice", "/business edit year-end:02-29", bot.Invalid)
	h.MustFail("alice", "/business edit year-end:2026-03-31", bot.Invalid)
	h.MustFail("alice", "/business edit turnover:lots", bot.Invalid)
	h.MustFail("alice", "/business edit turnover:-5", bot.Invalid)
	h.MustFail("alice", "/business edit", bot.Invalid)
	h.MustFail("alice", "/business edit form:plc", bot.Invalid)
	// Only owners and admins edit.
	h.MustDo("alice", "/business add-member bob")
	h.MustFail("bob", "/business edit form:company business:1", bot.Forbidden)
	h.MustDo(h.Admin, "/business edit form:cic business:1")
	if show := h.MustDo("bob", "/business show 1"); !strings.Contains(show, "Legal form: community interest company") {
		t.Errorf("admin edit:\n%s", show)
	}
	// Old thresholds for a year that began before 6 April 2025.
	h.MustDo("carol", "/business register Oldco form:company turnover:40m balance-sheet:20m employees:10 year-end:12-31")
	h.Clock.Set(h.Clock.Now().AddDate(-2, 0, 0)) // 24 Nov 2024: year 1 Jan-31 Dec 2024
	if show := h.MustDo("carol", "/business show 2"); !strings.Contains(show, "large, worked out") || !strings.Contains(show, "£36m") {
		t.Errorf("old limits:\n%s", show)
	}
}
