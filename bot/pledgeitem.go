package bot

import (
	"fmt"
	"strings"
)

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
		about = append(about, "due "+p.Due.Format("2 Jan 2006"))
	}
	if p.Visibility == Private {
		about = append(about, "private")
	}
	if p.Status != StatusActive {
		about = append(about, p.Status)
	}
	it := Item{Title: fmt.Sprintf("#%d %s", p.Number, p.Text), Text: strings.Join(about, " · "),
		Progress: &Progress{Done: p.Progress, Target: p.Target, Unit: p.Unit}}
	if p.Status == StatusActive {
		it.Actions = []Action{
			{Label: "Log progress", Command: fmt.Sprintf("pledge progress %d", p.Number), Style: "primary"},
			{Label: "Mark done", Command: fmt.Sprintf("pledge done %d", p.Number)},
		}
	}
	return it
}
