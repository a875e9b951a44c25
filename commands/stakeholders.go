package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// maxGroupName bounds a stakeholder group's name; records list names
// joined by commas, so a name holds none.
const maxGroupName = 60

// stakeholdersSub is /s172 stakeholders add|list|remove: the business's
// register of key stakeholder groups that records and the statement name.
func stakeholdersSub() *bot.Subcommand {
	return &bot.Subcommand{Name: "stakeholders", Help: "your register of stakeholder groups: add NAME [how:...], list, remove NAME",
		Run: runStakeholders, Options: []bot.Option{
			{Name: "action", Type: bot.Choice, Choices: []string{"add", "list", "remove"}, Positional: true, Required: true, Help: "add, list or remove"},
			{Name: "name", Positional: true, Rest: true, Max: maxGroupName, IsName: true, Help: "the group, e.g. staff, local suppliers"},
			{Name: "how", Max: maxS172Note, Greedy: true, Help: "how the board engages with them, e.g. quarterly staff forum"},
			businessOpt,
		}}
}

func runStakeholders(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	st, biz := c.Bot.Store(), c.Args.Int("business")
	action, name := c.Args.String("action"), c.Args.String("name")
	if action != "list" && name == "" {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "Name the group: /s172 stakeholders %s NAME, e.g. /s172 stakeholders add staff how:quarterly forum.", action)
	}
	if strings.ContainsAny(name, ",;") {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "A stakeholder group's name can't hold a comma or semicolon: records list groups separated by commas.")
	}
	if action != "add" && c.Args.Has("how") {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "how: goes with /s172 stakeholders add.")
	}
	switch action {
	case "add":
		n, updated, err := st.AddStakeholder(ctx, c.Community, c.Actor, biz, bot.Stakeholder{Name: name, How: c.Args.String("how")}, c.Req.ID)
		if err != nil {
			return bot.Reply{}, err
		}
		verb := "added to"
		if updated {
			verb = "updated in"
		}
		return bot.Reply{Title: fmt.Sprintf("%s %s the stakeholder register of business #%d", name, verb, n),
			Text: "Name it on a decision with stakeholders:" + name}, nil
	case "remove":
		n, err := st.RemoveStakeholder(ctx, c.Community, c.Actor, biz, name, c.Req.ID)
		if err != nil {
			return bot.Reply{}, err
		}
		return bot.Reply{Title: fmt.Sprintf("%s removed from the stakeholder register of business #%d", name, n),
			Text: "Decision records that named it keep the name."}, nil
	}
	n, list, err := st.Stakeholders(ctx, c.Community, c.Actor, biz)
	if err != nil {
		return bot.Reply{}, err
	}
	if len(list) == 0 {
		return bot.Reply{Title: fmt.Sprintf("Business #%d has no stakeholder groups yet", n),
			Text: "Add the groups your decisions affect: /s172 stakeholders add staff how:\"quarterly staff forum\""}, nil
	}
	r := bot.Reply{Title: fmt.Sprintf("Stakeholder register of business #%d (%d)", n, len(list))}
	for _, g := range list {
		how := g.How
		if how == "" {
			how = "how they are engaged is not recorded: add it with how:"
		}
		r.Items = append(r.Items, bot.Item{Title: g.Name, Text: how})
	}
	return r, nil
}

// resolveGroups turns the stakeholders: a person typed ("staff, Local
// suppliers") into the register's names, refusing any not in it. It reads
// the register before the record is written: a group removed in between
// is still named, which is what the record should say anyway, since it
// was a stakeholder when the decision was recorded.
func resolveGroups(ctx context.Context, c *bot.Call, business int, typed string) (string, error) {
	if typed == "" {
		return "", nil
	}
	_, list, err := c.Bot.Store().Stakeholders(ctx, c.Community, c.Actor, business)
	if err != nil {
		return "", err
	}
	byKey := map[string]string{}
	for _, g := range list {
		byKey[bot.GroupKey(g.Name)] = g.Name
	}
	var out, missing []string
	seen := map[string]bool{}
	for _, part := range strings.Split(typed, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, ok := byKey[bot.GroupKey(part)]
		switch {
		case !ok:
			missing = append(missing, clipText(part, 40))
		case !seen[name]:
			seen[name] = true
			out = append(out, name)
		}
	}
	if len(missing) > 0 {
		return "", bot.Errorf(bot.Invalid, "Not in the stakeholder register: %s. Add with /s172 stakeholders add NAME, or see /s172 stakeholders list; nothing was recorded.",
			strings.Join(missing, ", "))
	}
	return strings.Join(out, ","), nil
}
