package discord

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

// BenchmarkHTTPPing is the fixed cost of every HTTP interaction: read,
// verify the Ed25519 signature, decode, answer.
func BenchmarkHTTPPing(b *testing.B) {
	e := newEnv(b)
	body := e.interaction(discordgo.InteractionPing, alice, nil)
	for b.Loop() {
		if code, _ := e.post(body); code != 200 {
			b.Fatal(code)
		}
	}
}

// BenchmarkSlashList runs /pledge list (20 pledges) end to end: signature,
// decode, typed options, the core against real Redis, embeds, JSON.
func BenchmarkSlashList(b *testing.B) {
	e := newEnv(b)
	e.register(alice, "Acme")
	for i := range 20 {
		e.slash(alice, "pledge", "add", "text", fmt.Sprintf("Pledge %d", i), "theme", "carbon", "target", 5.0)
	}
	body := e.interaction(discordgo.InteractionApplicationCommand, alice, slashData("pledge", "list"))
	for b.Loop() {
		if code, out := e.post(body); code != 200 || !strings.Contains(string(out), "Pledge 19") {
			b.Fatal(code)
		}
	}
}

// BenchmarkRenderDigest splits a 50-item reply into messages.
func BenchmarkRenderDigest(b *testing.B) {
	bt := bot.New(bot.Options{})
	r := bot.Reply{Title: "Digest"}
	for i := range 50 {
		r.Items = append(r.Items, bot.Item{Title: fmt.Sprintf("#%d pledge", i), Text: strings.Repeat("words ", 60),
			Progress: &bot.Progress{Done: 1, Target: 4}, Actions: []bot.Action{{Label: "Mark done", Command: fmt.Sprintf("pledge done %d", i)}}})
	}
	for b.Loop() {
		render(bt, r)
	}
}
