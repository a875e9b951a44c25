package schedules

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// needsShown is how many open needs the digest lists before "and N more".
const needsShown = 10

// needItems are the digest's needs: the open ones (neither met nor
// closed), newest first, and those met in the week [start, end), by when
// what was delivered against them reached their target (need:N's met_at:
// a need a correction took back below its target and that has not
// reached it again is not met). met says whether any was met in the week:
// the week's activity, where open needs are standing information.
func (s *Scheduler) needItems(ctx context.Context, c string, start, end time.Time) (items []bot.Item, met bool, err error) {
	all, err := s.st.Needs(ctx, c)
	if err != nil {
		return nil, false, err
	}
	var open, metLines []string
	openCount := 0
	for _, n := range all {
		if n.State() == bot.NeedOpen {
			if openCount++; openCount <= needsShown {
				open = append(open, needLine(n))
			}
		}
		if !n.MetAt.IsZero() && !n.MetAt.Before(start) && n.MetAt.Before(end) {
			metLines = append(metLines, needLine(n))
		}
	}
	if len(open) > 0 {
		if more := openCount - len(open); more > 0 {
			open = append(open, fmt.Sprintf("… and %d more (/need list)", more))
		}
		items = append(items, bot.Item{Title: "Open needs", Text: strings.Join(open, "\n")})
	}
	if len(metLines) > 0 {
		items = append(items, bot.Item{Title: "Needs met this week", Text: strings.Join(metLines, "\n")})
	}
	return items, len(metLines) > 0, nil
}

// needLine is "#N TEXT · THEME · pledged P, delivered D of TARGET", in
// the need's unit by the rounding rule.
func needLine(n bot.Need) string {
	f := n.Figures()
	return fmt.Sprintf("#%d %s · %s · pledged %s, delivered %s of %s", n.Number, n.Text, n.Theme,
		bot.FormatAmount(n.Shown(f.Pledged), n.Unit), bot.FormatAmount(n.Shown(f.Delivered), n.Unit),
		bot.FormatAmount(n.Shown(n.Target), n.Unit))
}
