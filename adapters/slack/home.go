package slack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
)

// maxHomeBlocks is Slack's limit for a Home tab view.
const maxHomeBlocks = 100

// homeDueNext is how many upcoming pledges the Home tab lists.
const homeDueNext = 5

// publishHome shows a person their business, its pledges with progress and
// what is due next, through views.publish.
func (a *Adapter) publishHome(ctx context.Context, who bot.Identity) {
	blocks, err := a.HomeBlocks(ctx, who)
	if err != nil {
		a.log.Warn("slack: building the Home tab failed", "user", who.Key(), "err", err)
		blocks = sections(":warning: " + escape(bot.ErrorMessage(err)))
	}
	req := slackapi.PublishViewContextRequest{UserID: who.User, View: slackapi.HomeTabViewRequest{
		Type: slackapi.VTHomeTab, Blocks: slackapi.Blocks{BlockSet: blocks}}}
	api, err := a.client(ctx, who.Workspace)
	for try := 1; err == nil; try++ { // err here: no token for the workspace
		err = a.retry(ctx, func() error { _, err := api.PublishViewContext(ctx, req); return err })
		if err == nil || try == publishTries || !transient(err) {
			break
		}
		if a.o.Sleep(ctx, time.Duration(try)*time.Second) != nil {
			break
		}
		err = nil // transient: try again
	}
	if err != nil {
		a.log.Warn("slack: views.publish failed", "user", who.Key(), "err", err)
	}
}

// publishTries bounds the tries of one Home tab publish. The event was
// acknowledged before publishing, so Slack will not deliver it again; and
// views.publish replaces the whole tab, so trying again is safe.
const publishTries = 3

// transient reports an error worth another try: Slack's servers failing
// (5xx) or the connection to them.
func transient(err error) bool {
	var sc slackapi.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Code >= 500
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// HomeBlocks builds the Home tab of one person.
func (a *Adapter) HomeBlocks(ctx context.Context, who bot.Identity) ([]slackapi.Block, error) {
	ten := a.bot.Tenancy()
	community := ten.Community(bot.Slack, who.Workspace)
	actor := bot.Actor{ID: who, Admin: ten.IsAdmin(community, who)}
	st := a.bot.Store()
	bs, err := st.BusinessesOf(ctx, community, who)
	if err != nil {
		return nil, err
	}
	r := a.renderer(who.Workspace)
	out := []slackapi.Block{slackapi.NewHeaderBlock(plain("Pledgebot"))}
	if len(bs) == 0 {
		return append(out, sections("You are not part of a business here yet. Register yours with `/business register NAME`, "+
			"or ask its owner to add you with `/business add-member`. `/pledgebot help` lists everything Pledgebot can do.")...), nil
	}
	var due []bot.Pledge
	var body []slackapi.Block
	for _, b := range bs {
		ps, err := st.Pledges(ctx, community, actor, bot.PledgeFilter{Business: b.Number, Limit: 50})
		if err != nil {
			return nil, err
		}
		body = append(body, slackapi.NewDividerBlock())
		body = append(body, sections(fmt.Sprintf("*#%d %s*", b.Number, escape(b.Name)))...)
		if len(ps) == 0 {
			body = append(body, sections("No pledges yet: `/pledge add` makes one.")...)
		}
		for _, p := range ps {
			body = append(body, r.item(a.pledgeItem(community, p))...)
			if p.Status == bot.StatusActive && !p.Due.IsZero() {
				due = append(due, p)
			}
		}
	}
	if len(due) > 0 {
		sort.Slice(due, func(i, j int) bool { return due[i].Due.Before(due[j].Due) })
		var lines []string
		for _, p := range due[:min(len(due), homeDueNext)] {
			lines = append(lines, fmt.Sprintf("• %s: #%d %s", p.Due.Format("2 Jan 2006"), p.Number, escape(p.Text)))
		}
		out = append(out, sections("*Due next*\n"+strings.Join(lines, "\n"))...)
	}
	room := maxHomeBlocks - len(out)
	if len(body) > room {
		body = append(body[:room-1], section("…more than the Home tab can show: `/pledge list` has them all."))
	}
	return append(out, body...), nil
}

// pledgeItem shows a pledge on the Home tab like the commands do, without
// the business name the tab's heading already gives.
func (a *Adapter) pledgeItem(community string, p bot.Pledge) bot.Item {
	p.BusinessName = ""
	return a.bot.PledgeItem(community, p)
}
