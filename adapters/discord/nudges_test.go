package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/schedules"
)

// run runs a text command as a Discord person of the guild.
func (e *env) run(t *testing.T, user, line string) {
	t.Helper()
	name, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	r := e.h.Bot.Handle(context.Background(), bot.Request{From: bot.Identity{Platform: bot.Discord, Workspace: guild, User: user},
		Channel: "444", Command: name, Text: rest})
	if r.Err != nil {
		t.Fatalf("%s: %s", line, r.Err.Message)
	}
}

// Twenty quiet pledges with long texts are one nudge for their owner, cut
// into consecutive Discord messages that each keep within one message's
// limits (5 rows of 5 buttons, 6,000 characters of embeds): every pledge's
// three buttons are there, none dropped. A replay and another replica send
// nothing more.
func TestNudgeMessageSplitsWithinDiscordLimits(t *testing.T) {
	e := newEnv(t)
	e.h.Bot.AddSender(bot.Discord, e.a)
	london, _ := time.LoadLocation("Europe/London")
	e.h.Clock.Set(time.Date(2026, 10, 20, 12, 0, 0, 0, london))
	e.run(t, alice, "/business register Acme")
	long := strings.Repeat("*bold* & <tricky> ", 26) // escaping doubles some of it
	for i := range 20 {
		e.run(t, alice, fmt.Sprintf(`/pledge add "%d %s" theme:schools target:3`, i+1, long[:400]))
	}
	e.h.Clock.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, london))
	run := func(consumer string) schedules.Result {
		s, err := schedules.New(schedules.Options{Store: e.h.Store, Bot: e.h.Bot, Now: e.h.Clock.Now, Consumer: consumer,
			Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Run(context.Background(), schedules.JobNudges, "town", e.h.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := run("replica-1")
	if r.Enqueued < 3 || r.Sent != r.Enqueued {
		t.Fatalf("%v, want 3 or more parts enqueued and sent", r)
	}
	var posts []call
	for _, c := range e.api.Calls() {
		if c.Method == "POST" && strings.HasSuffix(c.Path, "/messages") {
			posts = append(posts, c)
		}
	}
	if len(posts) != r.Sent {
		t.Fatalf("%d messages posted for %d parts", len(posts), r.Sent)
	}
	buttons := map[string]bool{}
	for i, p := range posts {
		var m struct {
			Embeds          []*discordgo.MessageEmbed `json:"embeds"`
			Components      []json.RawMessage         `json:"components"`
			AllowedMentions struct{ Parse []string }  `json:"allowed_mentions"`
		}
		if err := json.Unmarshal(p.Body, &m); err != nil {
			t.Fatal(err)
		}
		if m.AllowedMentions.Parse == nil || len(m.Embeds) > maxEmbeds {
			t.Errorf("message %d: %d embeds, allowed_mentions %v", i+1, len(m.Embeds), m.AllowedMentions.Parse)
		}
		size := 0
		for _, em := range m.Embeds {
			size += embedSize(em)
		}
		if size > maxMessageText {
			t.Errorf("message %d: %d characters of embeds", i+1, size)
		}
		if want := fmt.Sprintf("Your pledges (%d of %d)", i+1, r.Sent); m.Embeds[0].Title != want {
			t.Errorf("message %d titled %q, want %q", i+1, m.Embeds[0].Title, want)
		}
		rows := components(t, m.Components)
		if len(rows) > maxRows {
			t.Errorf("message %d: %d rows", i+1, len(rows))
		}
		for _, r := range rows {
			if n := len(r.(*discordgo.ActionsRow).Components); n > maxButtons {
				t.Errorf("message %d: a row of %d buttons", i+1, n)
			}
		}
		for _, id := range customIDs(rows) {
			buttons[id] = true
		}
	}
	for n := 1; n <= 20; n++ {
		for _, cmd := range []string{"pledge progress %d", "pledge done %d", "pledge snooze %d 7d"} {
			if id := runPrefix + fmt.Sprintf(cmd, n); !buttons[id] {
				t.Errorf("no button %q", id)
			}
		}
	}
	if len(buttons) != 60 {
		t.Errorf("%d buttons, want 60", len(buttons))
	}
	before := len(e.api.Calls())
	run("replica-1")
	run("replica-2")
	if after := e.api.Calls(); len(after) != before {
		t.Fatalf("a replay sent more: %v", after[before:])
	}
}
