package summary

import (
	"strconv"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// VouchedMeans says what the split of delivered amounts by who says so
// means; the chat reply, the page and the guide carry it.
const VouchedMeans = "Delivered amounts are split by who says so: confirmed by the pledge's community partner, awaiting confirmation (the partner has not confirmed or queried it yet), queried by the partner, or self-reported (the pledge names no partner). Each progress entry counts in the period it was logged in, in the part its state is in now; the four parts add up to delivered."

// VouchedLine is an amount split by who says so, confirmed first
// (bot.Vouched.Line).
func VouchedLine(v bot.Vouched, unit string) string { return v.Line(unit) }

// VouchedCountLine is a rate theme's reporting businesses split by who
// says so of each one's latest value.
func VouchedCountLine(v bot.VouchedCount) string {
	i := strconv.Itoa
	return "confirmed " + i(v.Confirmed) + " · awaiting confirmation " + i(v.Awaiting) + " · queried " + i(v.Queried) +
		" · self-reported " + i(v.SelfReported)
}

// UnitVouched is the split of every total theme measured in one unit:
// amounts in different units never add up, so the total is one a unit.
type UnitVouched struct {
	Unit              string
	Delivered, ToDate bot.Vouched
}

// VouchedTotals adds up the split of the total themes shown, a unit at a
// time, in the order the units first appear.
func (s *Summary) VouchedTotals() []UnitVouched {
	var out []UnitVouched
	at := map[string]int{}
	for _, r := range s.Themes {
		if r.Theme.IsRate() {
			continue
		}
		i, ok := at[r.Theme.Unit]
		if !ok {
			i = len(out)
			at[r.Theme.Unit] = i
			out = append(out, UnitVouched{Unit: r.Theme.Unit})
		}
		out[i].Delivered = out[i].Delivered.Add(r.Cur.DeliveredBy)
		out[i].ToDate = out[i].ToDate.Add(r.Cur.ToDateBy)
	}
	return out
}

// VouchedItem is the chat's total of the split, a line a unit; nil
// without a total theme.
func (s *Summary) VouchedItem() *bot.Item {
	var lines []string
	for _, u := range s.VouchedTotals() {
		lines = append(lines, "in "+unitOr(u.Unit)+", to date: "+VouchedLine(u.ToDate, u.Unit)+"; in period: "+VouchedLine(u.Delivered, u.Unit))
	}
	if len(lines) == 0 {
		return nil
	}
	return &bot.Item{Title: "All themes, delivered by who says so", Text: strings.Join(lines, "\n")}
}
