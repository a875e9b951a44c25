package bot

import (
	"fmt"
	"strconv"
	"strings"
)

// Shown is an amount kept in the pledge's theme's unit (its target, its
// progress, a logged entry) in the pledge's own unit, as every display
// shows it: 0.8 tonnes on a pledge made in kg (Factor 0.001) is 800.
// Pledges without a factor (made before units converted) show amounts as
// stored.
func (p Pledge) Shown(amount float64) float64 {
	if p.Factor <= 0 || p.Factor == 1 {
		return amount
	}
	return UnitRound(amount / p.Factor)
}

// UnitRound drops the float noise a unit factor leaves (800 × 0.001 is not
// exactly 0.8): 12 significant digits are far more than any figure needs.
func UnitRound(f float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	return r
}

// PledgeItem is how the bot shows a pledge everywhere (command replies,
// Slack's App Home, nudges): its business when known, theme, due date,
// visibility, status, progress, and the buttons an active pledge offers.
func (b *Bot) PledgeItem(community string, p Pledge) Item {
	about := []string{}
	if p.BusinessName != "" {
		about = append(about, fmt.Sprintf("%s (#%d)", p.BusinessName, p.Business))
	}
	themeName := p.Theme
	if t, ok := b.Theme(community, p.Theme); ok {
		themeName = t.Name
	}
	about = append(about, themeName)
	if !p.Due.IsZero() {
		about = append(about, "due "+p.Due.Format(DayStyle))
	}
	if p.Visibility == Private {
		about = append(about, "private")
	}
	if p.Status != StatusActive {
		about = append(about, p.Status)
	}
	it := Item{Title: fmt.Sprintf("#%d %s", p.Number, p.Text), Text: strings.Join(about, " · "),
		Progress: &Progress{Done: p.Shown(p.Progress), Target: p.Shown(p.Target), Unit: p.Unit},
		Ref:      fmt.Sprintf("#%d", p.Number)}
	if p.Status == StatusActive {
		it.Actions = []Action{
			{Label: "Log progress", Command: fmt.Sprintf("pledge progress %d", p.Number), Style: "primary"},
			{Label: "Mark done", Command: fmt.Sprintf("pledge done %d", p.Number)},
		}
		// Adapters render only the buttons a reply declares: snoozing is
		// offered here, wherever marking done is, when the bot has it.
		if c := b.Command("pledge"); c != nil && c.Sub("snooze") != nil {
			it.Actions = append(it.Actions, Action{Label: "Snooze a week", Command: fmt.Sprintf("pledge snooze %d 7d", p.Number)})
		}
	}
	return it
}
