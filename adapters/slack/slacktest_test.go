package slack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"
)

// TestSendToSlacktest posts a notice with items and buttons to slack-go's
// test server and decodes the blocks with slack-go's own Block Kit parser,
// which rejects block types and elements it does not know.
func TestSendToSlacktest(t *testing.T) {
	var mu sync.Mutex
	var got []slackapi.Block
	var channel string
	srv := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			v, _ := url.ParseQuery(string(body))
			var blocks slackapi.Blocks
			if err := json.Unmarshal([]byte(v.Get("blocks")), &blocks); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			mu.Lock()
			got, channel = blocks.BlockSet, v.Get("channel")
			mu.Unlock()
			io.WriteString(w, `{"ok":true,"channel":"C0DIGEST","ts":"1.1"}`)
		})
	})
	srv.Start()
	defer srv.Stop()
	a := New(Options{Bot: bot.New(bot.Options{}), BotToken: "xoxb-test", APIURL: srv.GetAPIURL()})
	defer a.Close()
	reply := bot.Reply{Title: "Due this week", Text: "Two pledges <!channel>",
		Items: []bot.Item{{Title: "#4 Plant trees", Text: "Acme", Progress: &bot.Progress{Done: 3, Target: 10, Unit: "trees"},
			Actions: []bot.Action{{Label: "Log progress", Command: "pledge progress 4", Style: "primary"}, {Label: "Mark done", Command: "pledge done 4"}}}},
		Fields: []bot.Field{{Label: "Network", Value: "Cambridge"}}}
	err := a.Send(context.Background(), bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: team, Channel: "C0DIGEST"}, Reply: reply})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if channel != "C0DIGEST" || len(got) != 5 {
		t.Fatalf("channel %q, %d blocks", channel, len(got))
	}
	text := got[1].(*slackapi.SectionBlock).Text.Text
	acts := got[3].(*slackapi.ActionBlock).Elements.ElementSet
	btn := acts[1].(*slackapi.ButtonBlockElement)
	if text != "Two pledges &lt;!channel&gt;" || len(acts) != 2 || btn.Value != "pledge done 4" ||
		!strings.Contains(got[2].(*slackapi.SectionBlock).Text.Text, "30% (3 of 10 trees)") {
		t.Fatalf("decoded: %q, %d buttons, %+v", text, len(acts), btn)
	}
}
