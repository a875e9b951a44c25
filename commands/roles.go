package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

var roleChoices = []string{"coordinator", "council", "admin"}

// Roles is /roles: community-wide roles granted at run time. Admins from
// configuration (communities[].admins) are listed but cannot be revoked
// here. Business owners manage their own people with /business.
func Roles() *bot.Command {
	userOpt := bot.Option{Name: "user", Type: bot.User, Positional: true, Required: true, Help: "the person"}
	roleOpt := bot.Option{Name: "role", Type: bot.Choice, Choices: roleChoices, Positional: true, Required: true, Help: "coordinator, council or admin"}
	return &bot.Command{Name: "roles", Help: "who is coordinator, council or admin of this network", Subs: []*bot.Subcommand{
		{Name: "grant", MinRole: bot.RoleAdmin, Run: grantRole, Options: []bot.Option{userOpt, roleOpt},
			Help: "give a person a community role"},
		{Name: "revoke", MinRole: bot.RoleAdmin, Run: revokeRole, Options: []bot.Option{userOpt, roleOpt},
			Help: "take a community role away"},
		{Name: "list", MinRole: bot.RoleCoordinator, Run: listRoles,
			Help: "list who holds each community role"},
	}}
}

func roleArg(c *bot.Call) bot.Role {
	r, _ := bot.ParseRole(c.Args.String("role"))
	return r
}

func grantRole(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	who, role := c.Person(c.Args.String("user")), roleArg(c)
	added, err := c.Bot.Store().GrantRole(ctx, c.Community, who, role)
	if err != nil {
		return bot.Reply{}, err
	}
	if !added {
		return bot.Reply{Title: fmt.Sprintf("%s already has the %s role.", bot.Mention(who), role.String())}, nil
	}
	return bot.Reply{Title: fmt.Sprintf("%s now has the %s role in this network.", bot.Mention(who), role.String())}, nil
}

func revokeRole(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	who, role := c.Person(c.Args.String("user")), roleArg(c)
	if role == bot.RoleAdmin && c.Bot.Tenancy().IsAdmin(c.Community, who) {
		return bot.Reply{}, bot.Errorf(bot.Forbidden, "%s is an admin in the configuration file (communities[].admins); that can't be revoked from chat. Ask whoever runs Pledgebot to edit the configuration.", who.User)
	}
	removed, err := c.Bot.Store().RevokeRole(ctx, c.Community, who, role)
	if err != nil {
		return bot.Reply{}, err
	}
	if !removed {
		return bot.Reply{}, bot.Errorf(bot.NotFound, "%s is not %s here; /roles list shows who is.", who.User, withArticle(role.String()))
	}
	return bot.Reply{Title: fmt.Sprintf("%s no longer has the %s role.", bot.Mention(who), role.String())}, nil
}

func listRoles(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	grants, err := c.Bot.Store().RoleGrants(ctx, c.Community)
	if err != nil {
		return bot.Reply{}, err
	}
	r := bot.Reply{Title: "Community roles", Text: "Business owners and members are shown by /business show."}
	for _, cm := range c.Bot.Tenancy().Communities() {
		if cm.ID != c.Community {
			continue
		}
		var names []string
		for _, a := range cm.Admins {
			names = append(names, bot.Mention(a))
		}
		if len(names) > 0 {
			r.Fields = append(r.Fields, bot.Field{Label: "admin (configuration)", Value: strings.Join(names, ", ")})
		}
	}
	for i := len(bot.CommunityRoles) - 1; i >= 0; i-- {
		role := bot.CommunityRoles[i]
		var names []string
		for _, id := range grants[role] {
			names = append(names, bot.Mention(id))
		}
		value := "nobody"
		if len(names) > 0 {
			value = strings.Join(names, ", ")
		}
		r.Fields = append(r.Fields, bot.Field{Label: role.String(), Value: value})
	}
	return r, nil
}
