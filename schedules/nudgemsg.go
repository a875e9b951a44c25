package schedules

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// partLimits is how much of a nudge message one platform message holds,
// counted in the core's terms: buttons, characters of text (escaping may
// double them: counted twice) and Slack blocks (a section per heading or
// pledge, an actions block per pledge's buttons). The adapters' tests
// render the fullest part and check that it is one message within the
// platform's limits, every button kept.
type partLimits struct {
	buttons, chars, blocks int
}

var nudgeLimits = map[bot.Platform]partLimits{
	// 50 blocks a message, 3,000 characters a section, 25 elements an
	// actions block (each pledge's buttons are one block of 3).
	bot.Slack: {buttons: 1 << 20, chars: 1 << 20, blocks: 46},
	// 5 rows of 5 buttons, and 6,000 characters of embeds a message.
	bot.Discord: {buttons: 25, chars: 5000, blocks: 1 << 20},
}

// pledgeActions are a pledge's buttons in a nudge, declared here rather
// than inferred by the adapters.
func pledgeActions(n int) []bot.Action {
	return []bot.Action{
		{Label: "Log progress", Command: fmt.Sprintf("pledge progress %d", n), Style: "primary"},
		{Label: "Mark done", Command: fmt.Sprintf("pledge done %d", n)},
		{Label: "Snooze a week", Command: fmt.Sprintf("pledge snooze %d 7d", n)},
	}
}

// nudgeMessage lays one person's items out as a message, in as many parts
// as their platform needs.
func (s *Scheduler) nudgeMessage(c string, m nudgee) store.NudgeMessage {
	out := store.NudgeMessage{Who: m.who, Date: m.date}
	for _, it := range m.items {
		out.Items = append(out.Items, it.key)
	}
	lim, limited := nudgeLimits[m.who.Platform]
	var parts [][]bot.Item
	var cur []bot.Item
	var used partLimits
	group := ""
	for _, it := range m.items {
		item := bot.Item{Title: fmt.Sprintf("#%d %s", it.p.Number, it.p.Text), Text: it.line, Ref: fmt.Sprintf("#%d", it.p.Number)}
		if it.group != groupLapsed {
			item.Progress = &bot.Progress{Done: it.p.Progress, Target: it.p.Target, Unit: it.p.Unit}
			item.Actions = pledgeActions(it.p.Number)
		}
		need := partLimits{buttons: len(item.Actions), blocks: 1 + (2*runes(item.Title, item.Text)+2999)/3000,
			chars: 2*runes(item.Title, item.Text) + 100}
		if len(item.Actions) > 0 {
			need.blocks++
		}
		heading := it.group != group || len(cur) == 0
		if heading {
			need.blocks++
			need.chars += 40
		}
		if limited && len(cur) > 0 && (used.buttons+need.buttons > lim.buttons ||
			used.chars+need.chars > lim.chars || used.blocks+need.blocks > lim.blocks) {
			parts, cur, used = append(parts, cur), nil, partLimits{}
			need.blocks, need.chars = need.blocks+1, need.chars+40
			heading = true
		}
		if heading {
			cur = append(cur, bot.Item{Title: headingText(it.group, m.items)})
		}
		group = it.group
		cur = append(cur, item)
		used = partLimits{used.buttons + need.buttons, used.chars + need.chars, used.blocks + need.blocks}
	}
	if len(cur) > 0 {
		parts = append(parts, cur)
	}
	for i, items := range parts {
		title := "Your pledges"
		if len(parts) > 1 {
			title += fmt.Sprintf(" (%d of %d)", i+1, len(parts))
		}
		reply := bot.Reply{Title: title, Items: items}
		if i == 0 {
			reply.Text = summary(m.items)
		}
		out.Parts = append(out.Parts, bot.Notice{ID: fmt.Sprintf("nudges:%s:%s:%d/%d", m.who.Key(), m.date, i+1, len(parts)), Community: c,
			To: bot.Recipient{Platform: m.who.Platform, Workspace: m.who.Workspace, User: m.who.User}, Reply: reply})
	}
	return out
}

func runes(ss ...string) int {
	n := 0
	for _, s := range ss {
		n += utf8.RuneCountInString(s)
	}
	return n
}

// headingText names a group and how many of the message's items are in it.
func headingText(group string, items []nudgeItem) string {
	n := 0
	for _, it := range items {
		if it.group == group {
			n++
		}
	}
	return fmt.Sprintf("%s (%d)", group, n)
}

// summary is a message's first line: how many of each, and what to do.
func summary(items []nudgeItem) string {
	count := map[string]int{}
	for _, it := range items {
		count[it.group]++
	}
	var parts []string
	for _, g := range groupOrder {
		if count[g] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[g], strings.ToLower(g)))
		}
	}
	return strings.Join(parts, " · ") + ". Log what you have done, mark a pledge done, or snooze its reminders for a week."
}

// NextNudge is /nudges with no arguments: when who's next nudge message
// goes out (their own time, or the community's next nudge sweep), and
// what it would list as things stand now, whatever their setting.
func (s *Scheduler) NextNudge(ctx context.Context, c string, who bot.Identity, now time.Time) (time.Time, []bot.Item, error) {
	set, err := s.st.NudgeSetting(ctx, c, who)
	if err != nil {
		return time.Time{}, nil, err
	}
	when := ""
	if set.Clock != "" || set.Zone != "" {
		when = set.Clock + "|" + set.Zone
	}
	at := s.nextSlot(c, when, now)
	people, _, err := s.planNudges(ctx, c, now, true, who)
	if err != nil || len(people) == 0 {
		return at, nil, err
	}
	msg := s.nudgeMessage(c, people[0])
	var items []bot.Item
	for _, p := range msg.Parts {
		for _, it := range p.Reply.Items {
			if len(items) == 0 || it.Text != "" || it.Title != items[len(items)-1].Title {
				items = append(items, it)
			}
		}
	}
	return at, items, nil
}
