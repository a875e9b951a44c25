package schedules

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// nearShown is how many needs one "needs near you" message lists before
// "and N more": a short message people read, not a second /need list.
const nearShown = 10

// needs sends each person who chose /nudges needs on one direct message a
// week: the open needs that suit a business they act for. The week's run
// key and one notice key per person (needs:YEAR-Wnn:TAG, personTag) are
// claimed in the same step as the outbox write, so replicas and re-runs
// send it once.
func (s *Scheduler) needs(ctx context.Context, c string, at time.Time, r *Result) error {
	local := at.In(s.Location(c))
	run := weekPeriod(JobNeeds, local)
	if done, err := s.st.RunDone(ctx, c, run); err != nil || done {
		if done {
			return store.ErrRunDone
		}
		return err
	}
	people, bizs, err := s.st.NeedNudgees(ctx, c)
	if err != nil {
		return err
	}
	var out []store.Outgoing
	if len(people) > 0 {
		all, err := s.st.Needs(ctx, c)
		if err != nil {
			return err
		}
		open := all[:0:0]
		for _, n := range all {
			if n.State() == bot.NeedOpen {
				open = append(open, n)
			}
		}
		partners, err := s.partnerNames(ctx, c, open)
		if err != nil {
			return err
		}
		for _, p := range people {
			var mine []bot.Need
			for _, n := range open {
				if slices.ContainsFunc(p.Businesses, func(b int) bool { return needSuits(n, bizs[b]) }) {
					mine = append(mine, n)
				}
			}
			if len(mine) == 0 {
				continue
			}
			key := run + ":" + personTag(p.Who)
			out = append(out, store.Outgoing{Key: key, Notice: bot.Notice{ID: key, Community: c,
				To: bot.Recipient{Platform: p.Who.Platform, Workspace: p.Who.Workspace, User: p.Who.User}, Reply: NeedsMessage(mine, partners)}})
		}
	}
	r.Enqueued, err = s.st.Enqueue(ctx, c, run, runTTL, noticeTTL, out)
	return err
}

// personTag stands for a person in a notice key: a digest of their
// identity, not the identity. The key's once-only decision (once:KEY) is
// kept for weeks, and erasure finds what names a person by name, never by
// a SCAN, so a key named after them would outlive their erasure; the
// notice itself, addressed to them, goes with it.
func personTag(who bot.Identity) string {
	sum := sha256.Sum256([]byte(who.Key()))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// partnerNames names the partners of some needs, by number.
func (s *Scheduler) partnerNames(ctx context.Context, c string, ns []bot.Need) (map[int]string, error) {
	names := map[int]string{}
	if !slices.ContainsFunc(ns, func(n bot.Need) bool { return n.Partner != 0 }) {
		return names, nil
	}
	ps, err := s.st.Partners(ctx, c)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		names[p.Number] = p.Name
	}
	return names, nil
}

// needSuits says whether an open need suits a business: its theme is one
// the business has pledged in, and its area (if it has one) is the
// business's postcode area. A need without an area is for the whole
// community; a business without a postcode hears only of those.
func needSuits(n bot.Need, b store.NeedNudgeBusiness) bool {
	if !slices.Contains(b.Themes, n.Theme) {
		return false
	}
	if n.Area == "" {
		return true
	}
	area := bot.PostcodeArea(b.Postcode)
	return area != "" && bot.PostcodeArea(n.Area) == area
}

// NeedsMessage is the weekly "needs near you" message listing needs (in
// the order given): each one's number, text, theme, partner, area, what it
// still needs in its own unit and how to pledge for it; at most
// nearShown, then how many more. Partner names and texts are shown as
// typed: adapters escape them, and a mention is never made from text.
func NeedsMessage(ns []bot.Need, partners map[int]string) bot.Reply {
	r := bot.Reply{Title: fmt.Sprintf("Needs near you (%d)", len(ns)),
		Text: "Open needs in the themes your business pledges in, in its postcode area or for the whole community. /nudges needs off stops these messages."}
	for _, n := range ns[:min(len(ns), nearShown)] {
		text := n.Theme
		if n.Partner != 0 {
			name := partners[n.Partner]
			if name == "" {
				name = fmt.Sprintf("#%d", n.Partner)
			}
			text += " · for " + name
		}
		if n.Area != "" {
			text += " · " + n.Area
		}
		left := bot.UnitRound(max(n.Target-n.Figures().Delivered, 0))
		text += fmt.Sprintf(" · still needs %s of %s", bot.FormatAmount(n.Shown(left), n.Unit), bot.FormatAmount(n.Shown(n.Target), n.Unit))
		if !n.Due.IsZero() {
			text += " · due " + n.Due.Format(bot.DateStyle)
		}
		text += fmt.Sprintf("\nPledge for it: /pledge add TEXT need:%d", n.Number)
		r.Items = append(r.Items, bot.Item{Title: fmt.Sprintf("Need #%d: %s", n.Number, n.Text), Text: text})
	}
	if more := len(ns) - nearShown; more > 0 {
		r.Items = append(r.Items, bot.Item{Title: fmt.Sprintf("… and %d more", more), Text: "/need list shows them all."})
	}
	return r
}
