package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// mapTokens is two installed workspaces; any other is not installed.
type mapTokens map[string]string

func (m mapTokens) BotToken(_ context.Context, team string) (string, error) {
	if t, ok := m[team]; ok {
		return t, nil
	}
	return "", ErrNotInstalled
}

func (m mapTokens) Forget(_ context.Context, team string) error {
	delete(m, team)
	return nil
}

const team2 = "T0TWO"

// distributedEnv: workspaces T0TEAM and T0TWO, one community, each with
// its own token; no shared bot token.
func distributedEnv(t *testing.T) *env {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Communities = []config.Community{{ID: "town", Workspaces: []string{"slack:" + team, "slack:" + team2}}}
	return newEnvOn(t, pledgetest.NewWithConfig(t, cfg), func(o *Options) {
		o.BotToken = ""
		o.Tokens = mapTokens{team: "xoxb-team-one", team2: "xoxb-team-two"}
		o.InstallURL = "https://pb.example.org/slack/install"
	})
}

func TestEachWorkspaceItsOwnToken(t *testing.T) {
	e := distributedEnv(t)
	ctx := context.Background()
	if c1, c2 := e.h.Bot.Tenancy().Community(bot.Slack, team), e.h.Bot.Tenancy().Community(bot.Slack, team2); c1 != "town" || c2 != c1 {
		t.Fatalf("communities %q %q", c1, c2)
	}
	for _, tc := range []struct{ team, want string }{{team, "xoxb-team-one"}, {team2, "xoxb-team-two"}, {team, "xoxb-team-one"}} {
		before := len(e.slack.Calls("chat.postMessage"))
		n := bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: tc.team, User: "U1"}, Reply: bot.Reply{Text: "nudge"}}
		if err := e.a.Send(ctx, n); err != nil {
			t.Fatal(err)
		}
		opens, posts := e.slack.Calls("conversations.open"), e.slack.Calls("chat.postMessage")
		if len(posts) != before+1 || opens[len(opens)-1].Auth != tc.want || posts[len(posts)-1].Auth != tc.want {
			t.Fatalf("to %s: open with %q, post with %q; want %q", tc.team, opens[len(opens)-1].Auth, posts[len(posts)-1].Auth, tc.want)
		}
		e.a.publishHome(ctx, bot.Identity{Platform: bot.Slack, Workspace: tc.team, User: "U1"})
		views := e.slack.Calls("views.publish")
		if views[len(views)-1].Auth != tc.want {
			t.Fatalf("Home for %s published with %q", tc.team, views[len(views)-1].Auth)
		}
	}
	// A workspace with no installation: the notice fails and nothing goes out.
	calls := len(e.slack.Calls("chat.postMessage")) + len(e.slack.Calls("conversations.open"))
	err := e.a.Send(ctx, bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: "T0GONE", Channel: "C1"}, Reply: bot.Reply{Text: "x"}})
	if err != ErrNotInstalled || len(e.slack.Calls("chat.postMessage"))+len(e.slack.Calls("conversations.open")) != calls {
		t.Fatalf("to an uninstalled workspace: %v", err)
	}
}

func TestUninstalledWorkspaceGetsTheInstallLink(t *testing.T) {
	e := distributedEnv(t)
	form := url.Values{"command": {"/business"}, "text": {"register Acme"}, "team_id": {"T0GONE"}, "user_id": {"U1"},
		"channel_id": {"C0CHAN"}, "response_url": {e.slack.responseURL()}, "trigger_id": {"trig-x"}}
	w := e.post("/slack/commands", form.Encode(), good)
	var m answer
	json.Unmarshal(w.Body.Bytes(), &m)
	if w.Code != http.StatusOK || m.ResponseType != "ephemeral" || !strings.Contains(m.Text, "not installed in this workspace") ||
		!strings.Contains(m.Text, "https://pb.example.org/slack/install") {
		t.Fatalf("%d %+v", w.Code, m)
	}
	// Nothing happened: no business, no call to Slack.
	if keys, _ := pledgetest.Keys(e.h.Redis, e.h.Prefix); len(keys) != 0 {
		t.Fatalf("the command wrote %v", keys)
	}
	e.event(`{"type":"event_callback","team_id":"T0GONE","event_id":"Ev9","event":{"type":"app_home_opened","user":"U1","tab":"home"}}`)
	e.a.Close()
	if n := len(e.slack.calls); n != 0 {
		t.Fatalf("%d calls to Slack for an uninstalled workspace", n)
	}
}

func TestUninstallEventsForgetTokens(t *testing.T) {
	e := distributedEnv(t)
	toks := e.a.o.Tokens.(mapTokens)
	e.event(`{"type":"event_callback","team_id":"T0TWO","event_id":"EvR1","event":{"type":"tokens_revoked","tokens":{"oauth":["U1"]}}}`)
	if _, ok := toks[team2]; !ok {
		t.Fatal("revoking a user's token forgot the bot's")
	}
	e.event(`{"type":"event_callback","team_id":"T0TWO","event_id":"EvR2","event":{"type":"tokens_revoked","tokens":{"bot":["UBOT"]}}}`)
	if _, ok := toks[team2]; ok {
		t.Fatal("tokens_revoked for the bot kept its token")
	}
	e.event(`{"type":"event_callback","team_id":"T0TEAM","event_id":"EvU1","event":{"type":"app_uninstalled"}}`)
	if len(toks) != 0 {
		t.Fatalf("app_uninstalled kept %v", toks)
	}
}

// flakyForget fails its first Forget, as a store that timed out would.
type flakyForget struct {
	mapTokens
	failed *bool
}

func (f flakyForget) Forget(ctx context.Context, team string) error {
	if !*f.failed {
		*f.failed = true
		return bot.ErrUnavailable
	}
	return f.mapTokens.Forget(ctx, team)
}

// An uninstall whose tokens could not be deleted is refused (503) so that
// Slack delivers it again, and the delivery again deletes them: its
// event_id must not count as handled by the failed one.
func TestUninstallRetriedAfterAFailedForget(t *testing.T) {
	e := distributedEnv(t)
	toks, failed := e.a.o.Tokens.(mapTokens), false
	e.a.o.Tokens = flakyForget{toks, &failed}
	body := `{"type":"event_callback","team_id":"T0TEAM","event_id":"EvU9","event":{"type":"app_uninstalled"}}`
	if w := e.event(body); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("a failed forget answered %d", w.Code)
	}
	if w := e.event(body); w.Code != http.StatusOK {
		t.Fatalf("Slack's retry answered %d", w.Code)
	}
	if _, ok := toks[team]; ok {
		t.Fatal("Slack's retry of app_uninstalled kept the workspace's token")
	}
}

// slowTokens is a store that does not answer in time: each read waits
// until its context gives up, or a long while.
type slowTokens struct{ mapTokens }

func (s slowTokens) BotToken(ctx context.Context, team string) (string, error) {
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(5 * time.Second):
	}
	return s.mapTokens.BotToken(ctx, team)
}

// Whether a workspace is installed is read within the acknowledgement
// budget: a slow store must not hold a slash command's answer (or a
// button's) past Slack's 3 s; the work goes on and answers by
// response_url.
func TestInstalledCheckKeepsTheBudget(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Communities = []config.Community{{ID: "town", Workspaces: []string{"slack:" + team}}}
	e := newEnvOn(t, pledgetest.NewWithConfig(t, cfg), func(o *Options) {
		o.BotToken = ""
		o.Tokens = slowTokens{mapTokens{team: "xoxb-team-one"}}
		o.Budget = 200 * time.Millisecond
	})
	form := url.Values{"command": {"/pledgebot"}, "text": {"help"}, "team_id": {team}, "user_id": {"U1"},
		"channel_id": {"C0CHAN"}, "response_url": {e.slack.responseURL()}, "trigger_id": {"trig-slow"}}
	start := time.Now()
	w := e.post("/slack/commands", form.Encode(), good)
	if took := time.Since(start); w.Code != http.StatusOK || took > 2*time.Second {
		t.Fatalf("a slash command with a slow installation check answered %d after %v (budget 200ms)", w.Code, took)
	}
	e.a.Close()
}

// checkedTokens counts how often a token is opened: the installed check
// must not open one (with rotation, opening may wait on a refresh).
type checkedTokens struct {
	mapTokens
	opened, checked atomic.Int32
}

func (c *checkedTokens) BotToken(ctx context.Context, team string) (string, error) {
	c.opened.Add(1)
	return c.mapTokens.BotToken(ctx, team)
}

func (c *checkedTokens) Installed(_ context.Context, team string) error {
	c.checked.Add(1)
	if _, ok := c.mapTokens[team]; !ok {
		return ErrNotInstalled
	}
	return nil
}

// TestInstalledCheckOpensNoToken: a slash command from an installed
// workspace and one from a workspace without an installation are each
// checked once, and neither check opens a token.
func TestInstalledCheckOpensNoToken(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Communities = []config.Community{{ID: "town", Workspaces: []string{"slack:" + team}}}
	tokens := &checkedTokens{mapTokens: mapTokens{team: "xoxb-team-one"}}
	e := newEnvOn(t, pledgetest.NewWithConfig(t, cfg), func(o *Options) {
		o.BotToken = ""
		o.Tokens = tokens
	})
	for _, tc := range []struct {
		team, want string
	}{{team, "Registered business #1"}, {"T0GONE", "not installed in this workspace"}} {
		form := url.Values{"command": {"/business"}, "text": {"register Acme"}, "team_id": {tc.team}, "user_id": {"U1"},
			"channel_id": {"C0CHAN"}, "response_url": {e.slack.responseURL()}, "trigger_id": {"trig-" + tc.team}}
		w := e.post("/slack/commands", form.Encode(), good)
		if !strings.Contains(w.Body.String(), tc.want) {
			t.Fatalf("%s: %d %s", tc.team, w.Code, w.Body.String())
		}
	}
	if o, c := tokens.opened.Load(), tokens.checked.Load(); o != 0 || c != 2 {
		t.Fatalf("%d tokens opened, %d checks; want 0 and 2", o, c)
	}
}
