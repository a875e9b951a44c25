package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// timedAnswer is an interaction's HTTP answer and how long it took.
type timedAnswer struct {
	code int
	body []byte
	took time.Duration
}

// postTimed delivers an interaction on its own goroutine.
func (e *env) postTimed(body []byte) <-chan timedAnswer {
	out := make(chan timedAnswer, 1)
	go func() {
		start := time.Now()
		code, b := e.post(body)
		out <- timedAnswer{code, b, time.Since(start)}
	}()
	return out
}

// checkAnswer fails t unless a is a 200 of type want given within
// Discord's 3 s, and returns it decoded.
func checkAnswer(t *testing.T, name string, a timedAnswer, want discordgo.InteractionResponseType) discordgo.InteractionResponse {
	t.Helper()
	if a.took >= 3*time.Second {
		t.Errorf("%s answered after %v, past Discord's 3 s", name, a.took)
	}
	if a.code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", name, a.code, a.body)
	}
	r := decodeAnswer(t, a.body)
	if r.Type != want {
		t.Fatalf("%s: want type %d, got %s", name, want, a.body)
	}
	return r
}

// Discord drops an interaction not answered within 3 s. With Redis
// stalled past that, a burst of autocomplete lookups (more than the client
// has connections, so some wait for a connection before they wait for
// Redis) is answered in time, with no choices.
func TestAutocompleteAnsweredInTimeWhenRedisStalls(t *testing.T) {
	h, redis := pledgetest.NewStalling(t, envConfig())
	e := newEnvOn(t, h)
	e.register(alice, "Acme")
	complete := e.interaction(discordgo.InteractionApplicationCommandAutocomplete, alice, map[string]any{
		"id": "1", "name": "pledge", "type": 1, "options": []map[string]any{{"name": "show", "type": 1,
			"options": []map[string]any{{"name": "pledge", "type": 4, "value": "", "focused": true}}}}})

	redis.Stall(t, 4*time.Second)
	var answers []<-chan timedAnswer
	for range 10*runtime.GOMAXPROCS(0) + 10 {
		answers = append(answers, e.postTimed(complete))
	}
	var slowest time.Duration
	for _, c := range answers {
		a := <-c
		slowest = max(slowest, a.took)
		if r := checkAnswer(t, "autocomplete", a, discordgo.InteractionApplicationCommandAutocompleteResult); len(r.Data.Choices) != 0 {
			t.Fatalf("choices from a stalled store: %s", a.body)
		}
	}
	t.Logf("slowest of %d autocomplete answers: %v", len(answers), slowest)
}

// A command caught by a long stall is answered "thinking…" in time and
// edited with its real outcome once Redis answers: the pledge is made once
// and the person is told so, not that nothing was saved.
func TestDeferredCommandToldTheOutcomeWhenRedisStalls(t *testing.T) {
	h, redis := pledgetest.NewStalling(t, envConfig())
	e := newEnvOn(t, h)
	e.register(alice, "Acme")
	add := e.interaction(discordgo.InteractionApplicationCommand, alice,
		slashData("pledge", "add", "text", "Plant trees", "theme", "carbon", "target", 40))

	// Longer than the client's own retries of a timed-out call (three, each
	// after a 2 s read timeout) last.
	redis.Stall(t, 8*time.Second)
	a := <-e.postTimed(add)
	t.Logf("/pledge add answered after %v", a.took)
	checkAnswer(t, "/pledge add", a, discordgo.InteractionResponseDeferredChannelMessageWithSource)

	e.a.Wait()
	var edited string
	for _, c := range e.api.Calls() {
		if c.Method == "PATCH" {
			var edit discordgo.WebhookEdit
			json.Unmarshal(c.Body, &edit)
			edited += embedsText(*edit.Embeds)
		}
	}
	if !strings.Contains(edited, "Pledge #1 added") {
		t.Fatalf("deferred answer edited to %q, want the pledge added", edited)
	}
	ps, err := h.Store.Pledges(context.Background(), "town", bot.Actor{ID: bot.Identity{Platform: bot.Discord, Workspace: guild, User: alice}},
		bot.PledgeFilter{Status: "all"})
	if err != nil || len(ps) != 1 {
		t.Fatalf("%d pledges (%v), want 1", len(ps), err)
	}
}
