package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	slackadapter "github.com/pledgebot/pledgebot/adapters/slack"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

// TestServeSlackInstall: with distribution configured and no bot token,
// on the test Redis under a prefix of its own,
// serve mounts the install flow, which stores the workspace's token
// sealed: no key in the store holds it in the clear.
func TestServeSlackInstall(t *testing.T) {
	posted := make(chan string, 4)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/oauth.v2.access" {
			io.WriteString(w, `{"ok":true,"access_token":"xoxb-served-token","scope":"commands,chat:write,im:write","bot_user_id":"UB","team":{"id":"T7"},"authed_user":{"id":"U1"}}`)
			return
		}
		if r.URL.Path == "/api/chat.postMessage" {
			r.ParseForm()
			posted <- strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + r.PostForm.Get("token")
			io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1.1"}`)
			return
		}
		io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
	}))
	defer fake.Close()
	a, base, prefix := serveDistributed(t, fake.URL, io.Discard, false)
	addr := strings.TrimPrefix(base, "http://")
	ctx := context.Background()
	install := func() {
		t.Helper()
		status, loc := startInstall(t, base)
		if status != http.StatusFound || loc.Query().Get("redirect_uri") != "https://pb.example.org/slack/oauth/callback" {
			t.Fatalf("%d to %s", status, loc)
		}
		code, body := get(t, "http://"+addr+"/slack/oauth/callback?code=c&state="+url.QueryEscape(loc.Query().Get("state")))
		if code != 200 || !strings.Contains(body, "Pledgebot is installed") {
			t.Fatalf("callback %d %s", code, body)
		}
	}
	counted := func(want string, gauge int) {
		t.Helper()
		if _, rb := readyz(t, "http://"+addr); rb.Info["slack-installations"] != want {
			t.Fatalf("/readyz info %v, want %q", rb.Info, want)
		}
		if _, body := get(t, "http://"+addr+"/metrics"); !strings.Contains(body, "\npledgebot_slack_installations "+strconv.Itoa(gauge)+"\n") {
			t.Fatalf("/metrics lacks pledgebot_slack_installations %d", gauge)
		}
	}
	counted("0 workspaces", 0)
	install()
	counted("1 workspace", 1)
	in, err := a.store.SlackInstall(ctx, "T7")
	if err != nil || in.BotUser != "UB" || in.Installer != "U1" {
		t.Fatalf("stored %+v, %v", in, err)
	}
	// Notices to the workspace go with its own token, opened for the call.
	err = a.bot.Deliver(ctx, bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: "T7", Channel: "C1"}, Reply: bot.Reply{Title: "Digest"}})
	if err != nil || len(posted) != 1 {
		t.Fatalf("deliver: %v, %d posts", err, len(posted))
	}
	if auth := <-posted; auth != "xoxb-served-token" {
		t.Fatalf("posted with %q", auth)
	}
	// Uninstalled: the tokens go, its notices are held (not sent, not
	// counted as failures, not given up on), then sent once on reinstall.
	ev := `{"type":"event_callback","team_id":"T7","event_id":"EvU1","event":{"type":"app_uninstalled"}}`
	ts := time.Now().Unix()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/events", strings.NewReader(ev))
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", slackadapter.Sign("s3cret", ts, []byte(ev)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("event: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, err := a.store.SlackInstall(ctx, "T7"); !errors.Is(err, store.ErrNoInstall) {
		t.Fatalf("after app_uninstalled: %v", err)
	}
	counted("0 workspaces", 0)
	c := a.bot.Tenancy().Community(bot.Slack, "T7")
	n := bot.Notice{Community: c, To: bot.Recipient{Platform: bot.Slack, Workspace: "T7", Channel: "C1"}, Reply: bot.Reply{Title: "Held"}}
	if k, err := a.store.Enqueue(ctx, c, "", 0, time.Hour, []store.Outgoing{{Key: "held-1", Notice: n}}); err != nil || k != 1 {
		t.Fatalf("enqueue %d %v", k, err)
	}
	// slack-installs shows the held notice.
	var heldOut strings.Builder
	held, err := a.heldForUninstalled(ctx)
	if err != nil || printHeld(&heldOut, held) != nil || len(held) != 1 || held[0] != (heldTeam{"T7", c, 1}) ||
		!strings.Contains(heldOut.String(), "HELD NOTICES") {
		t.Fatalf("held: %+v %v\n%s", held, err, heldOut.String())
	}
	for range 25 { // more drains than the 20 failed sends after which a notice is given up
		if sent, err := a.sched.Drain(ctx, c); err != nil || sent != 0 {
			t.Fatalf("drain while uninstalled: %d %v", sent, err)
		}
	}
	if len(posted) != 0 {
		t.Fatal("a held notice was posted")
	}
	install()
	if sent, err := a.sched.Drain(ctx, c); err != nil || sent != 1 {
		t.Fatalf("drain after reinstall: %d %v", sent, err)
	}
	if sent, _ := a.sched.Drain(ctx, c); sent != 0 || len(posted) != 1 {
		t.Fatalf("sent again: %d, %d posts", sent, len(posted))
	}
	if auth := <-posted; auth != "xoxb-served-token" {
		t.Fatalf("held notice posted with %q", auth)
	}
	if held, err := a.heldForUninstalled(ctx); err != nil || len(held) != 0 {
		t.Fatalf("held after the reinstall: %+v %v", held, err)
	}
	// slack-installs lists it without any token.
	var list strings.Builder
	ins, _ := a.store.SlackInstalls(ctx)
	if err := printSlackInstalls(&list, ins); err != nil || !strings.Contains(list.String(), "T7") ||
		!strings.Contains(list.String(), "commands,chat:write,im:write") || !strings.Contains(list.String(), "never") ||
		strings.Contains(list.String(), "xoxb-") || strings.Contains(list.String(), "v1:") {
		t.Fatalf("slack-installs: %v\n%s", err, list.String())
	}
	rdb := a.store.Client()
	keys, _ := pledgetest.Keys(rdb, prefix)
	if len(keys) == 0 {
		t.Fatal("no keys to scan")
	}
	for _, k := range keys {
		var vals []string
		switch rdb.Type(ctx, k).Val() {
		case "hash":
			for f, v := range rdb.HGetAll(ctx, k).Val() {
				vals = append(vals, f, v)
			}
		case "set":
			vals = rdb.SMembers(ctx, k).Val()
		case "string":
			vals = []string{rdb.Get(ctx, k).Val()}
		}
		if strings.Contains(strings.Join(vals, " "), "xoxb-") {
			t.Errorf("key %s holds a token in the clear", k)
		}
	}
}

// TestSlackInstallsCLI: `pledgebot slack-installs` lists the installed
// workspace (no sealed or clear token) and the one that removed the app
// with its 2 held notices; the held notice to another workspace of the
// same community is not counted.
func TestSlackInstallsCLI(t *testing.T) {
	clearEnv(t)
	cfgFile, rdb, prefix := cliRedis(t)
	st := store.New(rdb, prefix)
	ctx := context.Background()
	at := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	for _, team := range []string{"T1", "T2"} {
		if err := st.SaveSlackInstall(ctx, store.SlackInstall{Team: team, Token: "v1:sealed", Scopes: "commands", InstalledAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	st.DeleteSlackInstall(ctx, "T2")
	var items []store.Outgoing
	for i, ws := range []string{"T2", "T2", "T9"} {
		items = append(items, store.Outgoing{Key: "k" + strconv.Itoa(i),
			Notice: bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: ws, Channel: "C1"}, Reply: bot.Reply{Title: "N"}}})
	}
	if _, err := st.Enqueue(ctx, "slack-T2", "", 0, time.Hour, items); err != nil {
		t.Fatal(err)
	}
	out, code := runCLI("", "slack-installs", "--config", cfgFile)
	if code != 0 || !strings.Contains(out, "T1    -           2026-12-06T01:00:00Z  -   commands  never") || strings.Contains(out, "v1:") ||
		!strings.Contains(out, "T2    slack-T2   2") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
