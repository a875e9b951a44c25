package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
)

func TestSendDirectMessageWaitsOutRateLimits(t *testing.T) {
	e := newEnv(t)
	e.slack.limited["conversations.open"] = 1
	e.slack.limited["chat.postMessage"] = 2
	n := bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: team, User: "U1"},
		Reply: bot.Reply{Title: "Pledge #3 is due in a week", Text: "Log progress <!here>"}}
	if err := e.h.Bot.Deliver(context.Background(), n); err == nil {
		t.Fatal("no Slack sender registered, yet Deliver succeeded")
	}
	e.h.Bot.AddSender(bot.Slack, e.a)
	if err := e.h.Bot.Deliver(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(e.slept); got != "[7s 7s 7s]" {
		t.Fatalf("waited %s, want Retry-After (7s) three times", got)
	}
	open := e.slack.Calls("conversations.open")
	posts := e.slack.Calls("chat.postMessage")
	if len(open) != 1 || open[0].Form.Get("users") != "U1" || len(posts) != 1 || posts[0].Form.Get("channel") != "D0DM" {
		t.Fatalf("open %v, posts %v", open, posts)
	}
	if blocks := unescapeJSON(posts[0].Form.Get("blocks")); !strings.Contains(blocks, "&lt;!here&gt;") || strings.Contains(blocks, "<!here>") {
		t.Fatalf("notice not escaped: %s", blocks)
	}
}

func TestSendGivesUpOnlyWhenContextEnds(t *testing.T) {
	e := newEnv(t)
	e.slack.limited["chat.postMessage"] = 1 << 30
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := e.a.Send(ctx, bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: team, Channel: "C1"}, Reply: bot.Reply{Title: "x"}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

func TestSendSplitsLongNotices(t *testing.T) {
	e := newEnv(t)
	reply := bot.Reply{Title: "Weekly digest", Text: strings.Repeat("Lots happened this week. ", 400)}
	for i := 1; i <= 120; i++ {
		reply.Items = append(reply.Items, bot.Item{Title: fmt.Sprintf("#%d pledge %d", i, i), Text: "Acme",
			Progress: &bot.Progress{Done: float64(i), Target: 200}})
	}
	if err := e.a.Send(context.Background(), bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: team, Channel: "C1"}, Reply: reply}); err != nil {
		t.Fatal(err)
	}
	posts := e.slack.Calls("chat.postMessage")
	// Parts are paced one PostInterval apart (the test clock stands still,
	// so each waits one interval more than the one before).
	if want := fmt.Sprint(paced(len(posts) - 1)); fmt.Sprint(e.slept) != want {
		t.Fatalf("waited %v, want %v", e.slept, want)
	}
	if len(posts) < 3 {
		t.Fatalf("%d messages for %d+ blocks", len(posts), 120)
	}
	seen := 0
	for i, p := range posts {
		var blocks []map[string]any
		if err := json.Unmarshal([]byte(p.Form.Get("blocks")), &blocks); err != nil {
			t.Fatal(err)
		}
		if len(blocks) > MaxBlocks {
			t.Fatalf("message %d has %d blocks", i, len(blocks))
		}
		for _, b := range blocks {
			if tx, ok := b["text"].(map[string]any); ok {
				if n := utf8.RuneCountInString(tx["text"].(string)); n > MaxSectionText {
					t.Fatalf("section of %d characters", n)
				}
				seen += strings.Count(tx["text"].(string), "Lots happened")
			}
		}
		if want := fmt.Sprintf("(part %d of %d)", i+1, len(posts)); !strings.HasPrefix(p.Form.Get("text"), want) {
			t.Fatalf("fallback text %q lacks %q", p.Form.Get("text"), want)
		}
	}
	if seen != 400 {
		t.Fatalf("%d of 400 sentences arrived: text was truncated", seen)
	}
	for i := 1; i <= 120; i++ {
		found := false
		for _, p := range posts {
			found = found || strings.Contains(p.Form.Get("blocks"), fmt.Sprintf("#%d pledge %d*", i, i))
		}
		if !found {
			t.Fatalf("item %d missing", i)
		}
	}
}

func TestSendWithoutTokenFails(t *testing.T) {
	a := New(Options{Bot: bot.New(bot.Options{})})
	defer a.Close()
	if err := a.Send(context.Background(), bot.Notice{To: bot.Recipient{Channel: "C1"}}); !errors.Is(err, errNoToken) {
		t.Fatalf("err %v", err)
	}
}

var _ bot.Sender = (*Adapter)(nil)

func paced(n int) []time.Duration {
	out := []time.Duration{}
	for i := 1; i <= n; i++ {
		out = append(out, time.Duration(i)*PostInterval)
	}
	return out
}
