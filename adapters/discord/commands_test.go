package discord

import (
	"context"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

func TestCommandsFromSpec(t *testing.T) {
	e := newEnv(t)
	cmds, err := Commands(e.h.Bot, "town")
	if err != nil {
		t.Fatal(err)
	}
	validate(t, pathSchema(t, opCommands, "put"), mustJSON(t, cmds), "registration body")
	byName := map[string]*discordgo.ApplicationCommand{}
	for _, c := range cmds {
		byName[c.Name] = c
	}
	if len(cmds) != len(e.h.Bot.Commands()) {
		t.Fatalf("%d commands registered, spec has %d", len(cmds), len(e.h.Bot.Commands()))
	}
	sub := func(cmd, name string) *discordgo.ApplicationCommandOption {
		for _, o := range byName[cmd].Options {
			if o.Name == name && o.Type == discordgo.ApplicationCommandOptionSubCommand {
				return o
			}
		}
		t.Fatalf("/%s has no subcommand %s", cmd, name)
		return nil
	}
	opt := func(s *discordgo.ApplicationCommandOption, name string) *discordgo.ApplicationCommandOption {
		for _, o := range s.Options {
			if o.Name == name {
				return o
			}
		}
		t.Fatalf("%s has no option %s", s.Name, name)
		return nil
	}
	add := sub("pledge", "add")
	if o := opt(add, "theme"); o.Type != discordgo.ApplicationCommandOptionString || o.Required || len(o.Choices) != 12 {
		t.Errorf("theme: %+v", o)
	}
	if o := opt(add, "text"); o.Required || o.Type != discordgo.ApplicationCommandOptionString {
		t.Errorf("text must be optional on Discord (a modal asks for it): %+v", o)
	}
	if o := opt(add, "target"); o.Type != discordgo.ApplicationCommandOptionNumber {
		t.Errorf("target: %+v", o)
	}
	// A business is its number or its name, so a string (autocompleted).
	if o := opt(add, "business"); o.Type != discordgo.ApplicationCommandOptionString || !o.Autocomplete {
		t.Errorf("business ref: %+v", o)
	}
	if o := opt(sub("business", "add-member"), "user"); o.Type != discordgo.ApplicationCommandOptionUser || !o.Required {
		t.Errorf("user: %+v", o)
	}
	if o := opt(sub("pledge", "withdraw"), "confirm"); o.Type != discordgo.ApplicationCommandOptionBoolean {
		t.Errorf("confirm should be a yes/no: %+v", o)
	}
	// Required options come first, and every command can be shared.
	for _, c := range cmds {
		subs := c.Options
		if len(subs) == 0 || subs[0].Type != discordgo.ApplicationCommandOptionSubCommand {
			subs = []*discordgo.ApplicationCommandOption{{Name: c.Name, Options: c.Options}}
		}
		for _, s := range subs {
			optional := false
			for _, o := range s.Options {
				if optional && o.Required {
					t.Errorf("/%s %s: required %s after an optional option", c.Name, s.Name, o.Name)
				}
				optional = optional || !o.Required
			}
			if last := s.Options[len(s.Options)-1]; last.Name != shareOption || last.Type != discordgo.ApplicationCommandOptionBoolean {
				t.Errorf("/%s %s: no share option", c.Name, s.Name)
			}
		}
	}
	if h := byName["help"]; len(h.Options) == 0 || h.Options[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		t.Errorf("/help has no subcommands: its options belong on it directly: %+v", h.Options)
	}
}

// Hidden subcommands are not registered; long names and help are fitted to
// Discord's limits; a spec Discord can't take is refused with a reason.
func TestCommandsEdgeCases(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("very long help ", 20)
	var choices []string
	for i := range 30 {
		choices = append(choices, "c"+strings.Repeat("x", i))
	}
	e.h.Bot.Register(&bot.Command{Name: "edge", Help: long, Subs: []*bot.Subcommand{
		{Name: "shown", Options: []bot.Option{
			{Name: "many", Type: bot.Choice, Choices: choices},
			{Name: "when", Type: bot.Date, Required: true},
		}},
		{Name: "secret", Hidden: true},
	}})
	cmds, err := Commands(e.h.Bot, "town")
	if err != nil {
		t.Fatal(err)
	}
	validate(t, pathSchema(t, opCommands, "put"), mustJSON(t, cmds), "registration body")
	edge := cmds[len(cmds)-1]
	if len(edge.Description) > 100*3 || len([]rune(edge.Description)) > 100 {
		t.Errorf("description not fitted: %d", len([]rune(edge.Description)))
	}
	if len(edge.Options) != 1 || edge.Options[0].Name != "shown" {
		t.Fatalf("hidden subcommand registered: %+v", edge.Options)
	}
	shown := edge.Options[0].Options
	if shown[0].Name != "when" || !shown[0].Required {
		t.Errorf("required option not first: %s", shown[0].Name)
	}
	if many := shown[1]; many.Choices != nil || !many.Autocomplete {
		t.Errorf("30 choices must become autocomplete, not %d choices", len(many.Choices))
	}

	e.h.Bot.Register(&bot.Command{Name: "Bad Name", Subs: []*bot.Subcommand{{Name: "x"}}})
	if _, err := Commands(e.h.Bot, "town"); err == nil || !strings.Contains(err.Error(), "lowercase") {
		t.Fatalf("bad name accepted: %v", err)
	}
}

func TestRegisterBulkOverwrite(t *testing.T) {
	e := newEnv(t)
	s := e.api.session(t, "secret-token")
	cmds, err := Commands(e.h.Bot, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"", "123"} {
		if _, err := Register(context.Background(), s, appID, g, cmds); err != nil {
			t.Fatal(err)
		}
	}
	calls := e.api.Calls()
	want := []string{"PUT /api/v10/applications/999/commands", "PUT /api/v10/applications/999/guilds/123/commands"}
	if len(calls) != 2 || calls[0].Method+" "+calls[0].Path != want[0] || calls[1].Method+" "+calls[1].Path != want[1] {
		t.Fatalf("calls: %+v", calls)
	}
	if _, err := Register(context.Background(), s, "abc", "", cmds); err == nil {
		t.Fatal("non-numeric application id accepted")
	}
}
