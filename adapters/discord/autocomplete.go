package discord

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/adapters/arrival"
	"github.com/pledgebot/pledgebot/bot"
)

// autocompleteInTime answers autocomplete within the first-answer budget
// (a.deferAfter) whatever the store does: Discord drops an answer later
// than 3 s, and an empty list in time beats a failed one. The lookup's
// context ends at the budget too, so its Redis calls stop there.
func (a *Adapter) autocompleteInTime(ctx context.Context, i *discordgo.Interaction, from bot.Identity, community string) *discordgo.InteractionResponse {
	ctx, cancel := context.WithDeadline(ctx, arrival.By(ctx, a.deferAfter))
	defer cancel()
	done := make(chan *discordgo.InteractionResponse, 1)
	go func() { done <- a.autocomplete(ctx, i, from, community) }()
	select {
	case r := <-done:
		return r
	case <-ctx.Done():
		a.log.Warn("discord: autocomplete gave no choices: the store did not answer in time", "interaction", i.ID)
		return noChoices()
	}
}

func noChoices() *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}}}
}

// autocomplete suggests values for the option being typed: pledge,
// business and partner numbers the person can see, or choices of long lists. It always
// answers (type 8, at most 25 choices), with none when it can't help.
func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction, from bot.Identity, community string) *discordgo.InteractionResponse {
	resp := noChoices()
	s, err := commandOptions(a.bot, i.ApplicationCommandData())
	if err != nil || s.Focused == "" {
		return resp
	}
	sub := s.spec()
	if sub == nil {
		return resp
	}
	o := findOption(sub, s.Focused)
	if o == nil {
		return resp
	}
	typed := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s.Raw[o.Name]), "#"))
	add := func(name string, value any) bool {
		if len(resp.Data.Choices) == maxChoices {
			return false
		}
		resp.Data.Choices = append(resp.Data.Choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(name, 100), Value: value})
		return true
	}
	matches := func(n int, name string) bool {
		return typed == "" || strings.HasPrefix(fmt.Sprint(n), typed) || strings.Contains(strings.ToLower(name), typed)
	}
	actor := bot.Actor{ID: from, Admin: a.bot.Tenancy().IsAdmin(community, from)}
	switch {
	case o.Type == bot.Ref && o.Name == "pledge":
		ps, err := a.bot.Store().Pledges(ctx, community, actor, bot.PledgeFilter{Limit: 100})
		if err != nil {
			a.log.Warn("discord: autocomplete pledges", "err", err)
			return resp
		}
		for _, p := range ps {
			if matches(p.Number, p.Text) && !add(fmt.Sprintf("#%d %s", p.Number, plain(p.Text)), p.Number) {
				break
			}
		}
	case (o.Type == bot.Ref && o.Name == "business") || o.Suggest == bot.SuggestBusinesses:
		bs, err := a.bot.Store().BusinessNames(ctx, community)
		if err != nil {
			a.log.Warn("discord: autocomplete businesses", "err", err)
			return resp
		}
		for _, b := range bs {
			// A text option gets the number as text, as for partners.
			var value any = b.Number
			if o.Type != bot.Ref {
				value = fmt.Sprint(b.Number)
			}
			if matches(b.Number, b.Name) && !add(fmt.Sprintf("#%d %s", b.Number, plain(b.Name)), value) {
				break
			}
		}
	case (o.Type == bot.Ref && o.Name == "partner") || o.Suggest == "partners":
		ps, err := a.bot.Store().Partners(ctx, community)
		if err != nil {
			a.log.Warn("discord: autocomplete partners", "err", err)
			return resp
		}
		for _, p := range ps {
			// A text option gets the number as text: it names the partner
			// whatever look-alikes its name has.
			var value any = p.Number
			if o.Type != bot.Ref {
				value = fmt.Sprint(p.Number)
			}
			if matches(p.Number, p.Name) && !add(fmt.Sprintf("#%d %s", p.Number, plain(p.Name)), value) {
				break
			}
		}
	case o.Type == bot.Choice:
		for _, c := range choiceList(*o, a.bot.Choices(community)) {
			if strings.Contains(strings.ToLower(c), typed) && !add(c, c) {
				break
			}
		}
	}
	return resp
}

// plain is user text for a choice label, which Discord shows as typed.
func plain(s string) string { return strings.Join(strings.Fields(s), " ") }
