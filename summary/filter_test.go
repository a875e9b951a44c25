package summary_test

import (
	"testing"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/summary"
)

// TestFilterSaysTotalTheme: a filter on a theme counted as a total says
// so (the store then skips the rates index); on a rate theme, or on no
// theme, it does not.
func TestFilterSaysTotalTheme(t *testing.T) {
	h := pledgetest.NewWithConfig(t, &config.Config{Themes: config.DefaultThemes})
	for _, tc := range []struct {
		theme string
		total bool
	}{{"", false}, {"volunteering", true}, {"carbon", true}, {"fair-pay", false}, {"prompt-payment", false}} {
		f, err := summary.Filter(h.Bot, h.Community(), "2026-Q4", tc.theme, "", h.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if f.TotalTheme != tc.total {
			t.Errorf("theme %q: TotalTheme %v, want %v", tc.theme, f.TotalTheme, tc.total)
		}
	}
}
