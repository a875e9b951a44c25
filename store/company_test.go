package store_test

import (
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// A figures edit carries only the figures it names and the script merges
// them into what the business holds then: two owners who each read the
// business before either wrote (the old read-merge-write lost one of
// them) keep both figures, and a cleared figure is cleared alone.
func TestEditBusinessMergesFiguresInTheScript(t *testing.T) {
	f := newFixture(t)
	if _, err := f.s.RegisterBusiness(ctx, c, alice, bot.Business{Name: "Acme"}, ""); err != nil {
		t.Fatal(err)
	}
	fig := func(v float64) *bot.Figure { return &bot.Figure{Value: v, Known: true} }
	for i, e := range []bot.BusinessEdit{{Turnover: fig(60e6)}, {Employees: fig(300)}, {BalanceSheet: fig(1.5e6)}, {BalanceSheet: &bot.Figure{}}} {
		if _, err := f.s.EditBusiness(ctx, c, alice, 1, e, "edit-"+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	b, err := f.s.Business(ctx, c, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Figures.String(); got != "60000000,,300" {
		t.Fatalf("figures %q, want turnover and employees kept, balance sheet cleared", got)
	}
	clear := &bot.Figure{}
	if _, err := f.s.EditBusiness(ctx, c, alice, 1, bot.BusinessEdit{Turnover: clear, Employees: clear}, "edit-z"); err != nil {
		t.Fatal(err)
	}
	if b, _ := f.s.Business(ctx, c, 1); b.Figures.Any() {
		t.Fatalf("every figure cleared, still %q", b.Figures.String())
	}
}
