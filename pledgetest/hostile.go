package pledgetest

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// Hostile is user text that tries every trick chat markup allows: Discord
// code spans, masked links, mentions, spoilers and block markers; Slack
// control sequences and entities. Renderers must show it as typed and let
// none of it act.
const Hostile = "a`b ``c [click](https://evil.example) <@999> <@&777> <#555> </x:1> <t:0> " +
	"<https://evil.example|slack> <!channel> <!here> <!subteam^S1> <@U999> @everyone @here @channel " +
	"||spoiler|| **b** __u__ ~~s~~ &amp; \\[esc](https://evil.example) \\`x"

// HostileLine is Hostile with the block markers a line can start with.
const HostileLine = "# h\n> q\n- li\n1. n\n-# sub\n" + Hostile

// HostileShort fits a business name's 100 characters and a unit's 40.
const (
	HostileShort = "x` [a](https://evil.example) <@999> @everyone"
	HostileUnit  = "kg` [a](https://evil.example)"
)

// HostileReplies drives every command that echoes user text with hostile
// text in every field a person (or a configuration) can fill: a business
// name, sector, pledge text, unit and notes, a theme's name and unit, s172
// records. It returns the replies (pledge items with progress, fields,
// titles, actions, the summary, a refusal) for a renderer to check, and
// those of more, which builds replies from the same data that commands do
// not give, such as the digest (schedules imports this package in its
// tests, so it cannot be built here).
func HostileReplies(t testing.TB, more ...func(*Harness) bot.Reply) []bot.Reply {
	t.Helper()
	themes := append([]bot.Theme{{Key: "evil", Name: HostileShort, Unit: HostileUnit, Measure: bot.MeasureTotal}}, config.DefaultThemes...)
	h := NewWithConfig(t, &config.Config{Themes: themes})
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
	owner := "owner1"
	h.MustDo(owner, "/business register "+HostileShort+" sector:"+q(HostileShort))
	h.MustDo(owner, "/pledge add "+q(HostileLine)+" theme:evil target:10")
	h.MustDo(owner, "/pledge add "+q(Hostile)+" theme:volunteering target:40")
	h.MustDo(owner, "/pledge progress 1 3 "+q(HostileLine))
	h.MustDo(owner, "/s172 stakeholders add "+HostileShort+" how:"+q(Hostile))
	h.MustDo(owner, "/s172 log "+q(HostileShort)+" a:"+q(Hostile)+" options:"+q(Hostile)+" heard:"+q(Hostile)+" stakeholders:"+q(HostileShort)+
		" tradeoffs:"+q(Hostile)+" outcome:"+q(Hostile)+" followups:"+q(Hostile))
	var out []bot.Reply
	for _, f := range more {
		out = append(out, f(h))
	}
	for _, line := range []string{
		"/business show", "/business list", "/pledge list", "/pledge show 1", "/pledge show 2",
		"/pledge done 2 " + q(Hostile), "/s172 list", "/s172 show 1",
		"/summary show", "/pledge add " + q(Hostile) + " theme:nope",
		"/pledge list business:" + q(Hostile), "/business show x",
	} {
		user := owner
		if strings.HasPrefix(line, "/digest") || strings.HasPrefix(line, "/summary") {
			user = h.Admin
		}
		out = append(out, h.Reply(user, line))
	}
	return out
}
