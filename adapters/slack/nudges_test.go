package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/schedules"
)

// run runs a text command as a Slack person of the team.
func (e *env) run(t *testing.T, user, line string) {
	t.Helper()
	name, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	r := e.h.Bot.Handle(context.Background(), bot.Request{From: e.identity(user), Channel: "C0CHAN", Command: name, Text: rest})
	if r.Err != nil {
		t.Fatalf("%s: %s", line, r.Err.Message)
	}
}

// Thirty quiet pledges, some with long texts full of characters mrkdwn
// escapes, are one nudge for their owner, cut into consecutive Slack
// messages that each keep within Block Kit's limits (50 blocks, 3,000
// characters a section, 25 elements an actions block), every pledge's
// three buttons there once. A replay and another replica send nothing more.
func TestNudgeMessageSplitsWithinSlackLimits(t *testing.T) {
	e := newEnv(t)
	e.h.Bot.AddSender(bot.Slack, e.a)
	london, _ := time.LoadLocation("Europe/London")
	e.h.Clock.Set(time.Date(2026, 10, 20, 12, 0, 0, 0, london))
	e.run(t, "U1", "/business register Acme")
	long := strings.Repeat("<&> ", 125)
	for i := range 30 {
		text := "Schools"
		if i%3 == 0 {
			text = long
		}
		e.run(t, "U1", fmt.Sprintf(`/pledge add "%d %s" theme:schools target:3`, i+1, text[:min(len(text), 480)]))
	}
	e.h.Clock.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, london))
	run := func(consumer string) schedules.Result {
		s, err := schedules.New(schedules.Options{Store: e.h.Store, Bot: e.h.Bot, Now: e.h.Clock.Now, Consumer: consumer,
			Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Run(context.Background(), schedules.JobNudges, e.community(), e.h.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := run("replica-1")
	posts := e.slack.Calls("chat.postMessage")
	if r.Enqueued < 2 || r.Sent != r.Enqueued || len(posts) != r.Sent {
		t.Fatalf("%v, %d posts: want 2 or more parts, each one message", r, len(posts))
	}
	buttons := map[string]int{}
	for i, p := range posts {
		var blocks []struct {
			Type     string
			Text     struct{ Text string }
			Elements []struct{ Value string }
		}
		if err := json.Unmarshal([]byte(p.Form.Get("blocks")), &blocks); err != nil {
			t.Fatal(err)
		}
		if len(blocks) > MaxBlocks {
			t.Errorf("message %d: %d blocks", i+1, len(blocks))
		}
		if want := fmt.Sprintf("Your pledges (%d of %d)", i+1, r.Sent); !strings.Contains(blocks[0].Text.Text, want) {
			t.Errorf("message %d opens %q, want %q", i+1, blocks[0].Text.Text, want)
		}
		for _, b := range blocks {
			if n := utf8.RuneCountInString(b.Text.Text); n > MaxSectionText {
				t.Errorf("message %d: a section of %d characters", i+1, n)
			}
			if len(b.Elements) > maxButtons {
				t.Errorf("message %d: an actions block of %d", i+1, len(b.Elements))
			}
			for _, el := range b.Elements {
				buttons[el.Value]++
			}
		}
	}
	for n := 1; n <= 30; n++ {
		for _, cmd := range []string{"pledge progress %d", "pledge done %d", "pledge snooze %d 7d"} {
			if c := buttons[fmt.Sprintf(cmd, n)]; c != 1 {
				t.Errorf("button %q %d times, want once", fmt.Sprintf(cmd, n), c)
			}
		}
	}
	run("replica-1")
	run("replica-2")
	if after := e.slack.Calls("chat.postMessage"); len(after) != len(posts) {
		t.Fatalf("a replay posted %d more", len(after)-len(posts))
	}
}
