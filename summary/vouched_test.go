package summary_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/report"
	"github.com/pledgebot/pledgebot/schedules"
	"github.com/pledgebot/pledgebot/summary"
)

// TestVouchedSplitEverySurface drives the real commands: pledge 1 (made
// to the Food Bank) logs 10 then 5 hours, pledge 2 (no partner) logs 7;
// the partner confirms entry 1, queries entry 2, the business corrects
// entry 2 to 4 (it awaits confirmation again) and the partner confirms
// it. After each step every surface (chat, CSV, JSON, page, digest) shows
// the split, by hand: everything is in 2026-Q4 and live, so delivered in
// period and to date agree, and the digest's running totals too.
func TestVouchedSplitEverySurface(t *testing.T) {
	h := pledgetest.NewWithConfig(t, &config.Config{Themes: config.DefaultThemes})
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	sched, err := schedules.New(schedules.Options{Store: h.Store, Bot: h.Bot, Now: h.Clock.Now, Consumer: "t",
		Log: slog.New(slog.DiscardHandler), Sleep: func(context.Context, time.Duration) error { return errors.New("no sleep") }})
	if err != nil {
		t.Fatal(err)
	}
	h.MustDo("owner", `/business register Acme postcode:"CB1 2AB"`)
	h.MustDo("fb", `/partner register "Food Bank"`)
	h.MustDo("owner", `/pledge add "Volunteer at the food bank" theme:volunteering target:40 partner:1`)
	h.MustDo("owner", `/pledge add "Cook for the lunch club" theme:volunteering target:20`)
	h.MustDo("owner", "/pledge progress 1 10")
	h.MustDo("owner", "/pledge progress 1 5")
	h.MustDo("owner", "/pledge progress 2 7")

	// confirmed, awaiting confirmation, queried, self-reported (hours)
	steps := []struct {
		who, line string
		want      [4]string
	}{
		{"", "", [4]string{"0", "15", "0", "7"}},                                          // 10 + 5 await, 7 self
		{"fb", "/pledge confirm 1 entry:1", [4]string{"10", "5", "0", "7"}},               // 10 confirmed
		{"fb", "/pledge query 1 entry:2 which day?", [4]string{"10", "0", "5", "7"}},      // 5 queried
		{"owner", "/pledge correct 1 4 entry:2 it was 4", [4]string{"10", "4", "0", "7"}}, // 5 → 4, awaiting again
		{"fb", "/pledge confirm 1 entry:2", [4]string{"14", "0", "0", "7"}},               // 10 + 4 confirmed
	}
	for i, st := range steps {
		if st.line != "" {
			h.MustDo(st.who, st.line)
		}
		w := st.want
		f, err := summary.Filter(h.Bot, h.Community(), "2026-Q4", "", "", h.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		s, err := summary.Build(context.Background(), h.Bot, h.Community(), f)
		if err != nil {
			t.Fatal(err)
		}
		line := "confirmed " + w[0] + " hours · awaiting confirmation " + w[1] + " hours · queried " + w[2] + " hours · self-reported " + w[3] + " hours"
		// chat: the theme's line (to date; in period) and the unit's total
		chat := bot.PlainText(s.Reply())
		for _, want := range []string{"by who says so, to date: " + line + "; in period: " + line,
			"in hours, to date: " + line + "; in period: " + line} {
			if !strings.Contains(chat, want) {
				t.Errorf("step %d: chat lacks %q:\n%s", i, want, chat)
			}
		}
		// CSV: the theme's row and the unit's total row
		rows, err := csv.NewReader(bytes.NewReader(s.CSV())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		cells := map[string]map[string]string{}
		for _, r := range rows[1:] {
			c := map[string]string{}
			for j, name := range rows[0] {
				c[name] = r[j]
			}
			cells[c["theme"]] = c
		}
		for _, theme := range []string{"volunteering", "all:hours"} {
			for j, col := range []string{"confirmed", "awaiting_confirmation", "queried", "self_reported"} {
				for _, name := range []string{col, col + "_to_date"} {
					if got := cells[theme][name]; got != w[j] {
						t.Errorf("step %d: csv %s %s = %q, want %s", i, theme, name, got, w[j])
					}
				}
			}
		}
		// the four parts add up to delivered: 10 + 5 + 7 = 22, then 10 + 4 + 7 = 21
		delivered := "22"
		if i >= 3 {
			delivered = "21"
		}
		if got := cells["volunteering"]["delivered"]; got != delivered {
			t.Errorf("step %d: csv delivered %s, want %s", i, got, delivered)
		}
		// JSON: the theme's fields and vouched_totals
		var js struct {
			Themes        []map[string]any `json:"themes"`
			VouchedTotals []map[string]any `json:"vouched_totals"`
		}
		if err := json.Unmarshal(s.JSON(), &js); err != nil || len(js.Themes) != 1 || len(js.VouchedTotals) != 1 {
			t.Fatalf("step %d: json %v %s", i, err, s.JSON())
		}
		for _, obj := range []map[string]any{js.Themes[0], js.VouchedTotals[0]} {
			for j, name := range []string{"confirmed", "awaiting_confirmation", "queried", "self_reported"} {
				for _, n := range []string{name, name + "_to_date"} {
					if got := bot.PlainNumber(obj[n].(float64)); got != w[j] {
						t.Errorf("step %d: json %s = %s, want %s", i, n, got, w[j])
					}
				}
			}
		}
		// page: confirmed first, for the theme and the unit's total
		page, err := report.RenderSummary(s, s.Generated)
		if err != nil {
			t.Fatal(err)
		}
		cellsHTML := `<td class="n" data-label="Confirmed">` + w[0] + ` hours</td><td class="n" data-label="Awaiting confirmation">` + w[1] +
			` hours</td><td class="n" data-label="Queried">` + w[2] + ` hours</td><td class="n" data-label="Self-reported">` + w[3] + ` hours</td>`
		for _, name := range []string{"staff volunteering", "All themes in hours"} {
			for _, fig := range []string{"delivered to date", "delivered in period"} {
				row := `<td data-label="Theme">` + name + `</td><td data-label="Unit">hours</td><td data-label="Figure">` + fig + `</td>` + cellsHTML
				if !strings.Contains(string(page), row) {
					t.Errorf("step %d: page lacks %s", i, row)
				}
			}
		}
		// digest: the theme's running delivered total and the unit's
		digest, err := sched.Preview(context.Background(), h.Community(), h.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		text := bot.PlainText(digest)
		for _, want := range []string{"delivered " + delivered + " hours", "): " + line, "All themes in hours, delivered by who says so: " + line} {
			if !strings.Contains(text, want) {
				t.Errorf("step %d: digest lacks %q:\n%s", i, want, text)
			}
		}
	}
}
