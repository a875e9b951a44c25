package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// A corrected entry must move with its pledge when the theme changes: the
// period counters move what the entry now says, not what it first said.
func TestCorrectionThenThemeMove(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", `/pledge add "Sponsor" theme:sponsorship target:1000`)
	h.MustDo("ann", "/pledge progress 1 100")
	h.MustDo("ann", "/pledge correct 1 10")
	h.MustDo("ann", "/pledge edit 1 theme:buy-local")
	if got := figures(t, h, "2026-Q4", "buy-local").Delivered; got != 10 {
		t.Errorf("buy-local Q4 delivered %v, want 10 (the corrected entry)", got)
	}
	if got := figures(t, h, "2026-Q4", "sponsorship").Delivered; got != 0 {
		t.Errorf("sponsorship Q4 delivered %v, want 0 after the pledge left it", got)
	}
}

// The refusal's own advice ("Correct its progress to 0 first") must not
// carry the struck £ entries into a tonnes theme.
func TestStruckEntriesThenUnitChangingMove(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", `/pledge add "Sponsor" theme:sponsorship target:2500`)
	h.MustDo("ann", "/pledge progress 1 2500")
	h.MustDo("ann", "/pledge correct 1 0")
	h.MustDo("ann", "/pledge edit 1 theme:waste target:5")
	if got := figures(t, h, "2026-Q4", "waste").Delivered; got != 0 {
		t.Errorf("waste Q4 delivered %v tonnes, want 0 (the £2,500 entry was struck)", got)
	}
	if got := figures(t, h, "2026-Q4", "sponsorship").Delivered; got != 0 {
		t.Errorf("sponsorship Q4 delivered %v, want 0", got)
	}
}

// Deleting a business takes back what its pledges delivered, corrections
// included.
func TestCorrectionThenDeleteBusiness(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("bob", "/business register Bakery")
	h.MustDo("ann", `/pledge add "Volunteer" theme:volunteering target:100`)
	h.MustDo("ann", "/pledge progress 1 100")
	h.MustDo("ann", "/pledge correct 1 10")
	h.MustDo("ann", "/business delete 1 confirm")
	if got := figures(t, h, "2026-Q4", "volunteering").Delivered; got != 0 {
		t.Errorf("volunteering Q4 delivered %v after the business was deleted, want 0", got)
	}
}

// /pledge progress N AMOUNT UNIT converts; /pledge correct N AMOUNT UNIT
// must too, not count 0.3 t as 0.3 kg.
func TestCorrectNamesAUnit(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", `/pledge add "Cut carbon" theme:carbon target:800 unit:kg`)
	h.MustDo("ann", "/pledge progress 1 500")
	h.MustDo("ann", "/pledge correct 1 0.3 t")
	if p, _ := pledgeOf(t, h, 1); p.Progress != 0.3 {
		t.Errorf("progress %v tonnes, want 0.3 (300 kg)", p.Progress)
	}
}

// History shows a target edit in the pledge's own unit, like every other
// amount on the pledge.
func TestEditHistoryInPledgeUnit(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", `/pledge add "Cut carbon" theme:carbon target:800 unit:kg`)
	h.MustDo("ann", "/pledge edit 1 target:900")
	show := h.MustDo("ann", "/pledge show 1")
	if strings.Contains(show, `target to "0.9"`) || !strings.Contains(show, "900") {
		t.Errorf("history shows the target in tonnes on a kg pledge:\n%s", show)
	}
}

// fair-pay (% staff on the Living Wage) and prompt-payment (% invoices
// paid within 30 days) are different measures: moving a pledge with a
// reported value must not turn its Living Wage share into a payment rate.
func TestRateMoveBetweenPercentThemes(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", `/pledge add "Living Wage" theme:fair-pay target:100`)
	h.MustDo("ann", "/pledge progress 1 60")
	h.Do("ann", "/pledge edit 1 theme:prompt-payment")
	if got := figures(t, h, "2026-Q4", "prompt-payment").Rate; got.Reporting != 0 {
		t.Errorf("prompt-payment reports %+v: the Living Wage share 60%% now counts as invoices paid on time", got)
	}
}

// A rate pledge live in a period counts in that period's rate figures,
// with its value as of the period's end, even after it lapses later; a
// withdrawn pledge counts nowhere, as its target leaves every period's
// committed total.
func TestRatePastPeriodKeepsLaterClosedPledge(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 8, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", `/pledge add "Living Wage" theme:fair-pay target:100 due:2026-09-30`)
	h.MustDo("ann", "/pledge progress 1 60")
	h.MustDo("ann", `/pledge add "Living Wage too" theme:fair-pay target:100`)
	h.MustDo("ann", "/pledge progress 2 70")
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/pledge progress 2 90") // after Q3: Q3 keeps 70
	h.MustDo("ann", "/pledge withdraw 2 confirm")
	h.Clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	if _, err := h.Store.LapseDue(context.Background(), h.Community(), h.Clock.Now(), h.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	q3 := figures(t, h, "2026-Q3", "fair-pay")
	// #2 was withdrawn: it counts in no period, as made or as a rate.
	if want := (bot.RateStats{Pledges: 1, Businesses: 1, Reporting: 1, Median: 60, Min: 60, Max: 60, By: bot.VouchedCount{SelfReported: 1}}); q3.Made != 1 || q3.Rate != want {
		t.Errorf("Q3 fair-pay: made %d, rate %+v; want 1 made and %+v", q3.Made, q3.Rate, want)
	}
	// Lapsed in Q4: still live during Q4.
	if q4 := figures(t, h, "2026-Q4", "fair-pay"); q4.Rate.Pledges != 1 || q4.Rate.Reporting != 1 {
		t.Errorf("Q4 fair-pay rate %+v, want the pledge that lapsed in Q4", q4.Rate)
	}
	// Made in 2027 and later: not live in 2026-Q3.
	h.Clock.Set(time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/pledge reopen 1 due:2027-06-30")
	if q1 := figures(t, h, "2027-Q1", "fair-pay"); q1.Rate.Pledges != 1 || q1.Rate.Median != 60 {
		t.Errorf("2027-Q1 fair-pay rate %+v, want the reopened pledge at 60", q1.Rate)
	}
}
