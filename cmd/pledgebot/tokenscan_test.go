package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	slackadapter "github.com/pledgebot/pledgebot/adapters/slack"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

// lockedBuffer collects log lines from every goroutine of the server.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestNoTokenAnywhere: after an install (token rotation on, the token
// due at once), a notice that makes the token rotate, an uninstall, a
// held notice and a reinstall, no Slack token (no xoxb-, xoxe- or xoxp-,
// nor any token the fake Slack handed out) is in any key under the test
// prefix, of any type, nor in the logs (debug level), /metrics, /readyz
// or slack-installs.
func TestNoTokenAnywhere(t *testing.T) {
	var installs, refreshes atomic.Int32
	var secrets sync.Map // every token handed out
	hand := func(s string) string { secrets.Store(s, true); return s }
	posted := make(chan string, 8)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		r.ParseForm()
		switch r.URL.Path {
		case "/api/oauth.v2.access":
			if r.PostForm.Get("grant_type") == "refresh_token" {
				n := refreshes.Add(1)
				fmt.Fprintf(w, `{"ok":true,"access_token":%q,"refresh_token":%q,"expires_in":43200,"token_type":"bot","team":{"id":"T7"}}`,
					hand(fmt.Sprintf("xoxe.xoxb-1-refreshed%d", n)), hand(fmt.Sprintf("xoxe-1-refreshed%d", n)))
				return
			}
			// Installs: the first token has 5 minutes left, so the first
			// call rotates it.
			n := installs.Add(1)
			exp := 300
			if n > 1 {
				exp = 43200
			}
			fmt.Fprintf(w, `{"ok":true,"access_token":%q,"refresh_token":%q,"expires_in":%d,"scope":"commands,chat:write","bot_user_id":"UB","team":{"id":"T7"},"authed_user":{"id":"U1","access_token":%q}}`,
				hand(fmt.Sprintf("xoxe.xoxb-1-install%d", n)), hand(fmt.Sprintf("xoxe-1-install%d", n)), exp, hand(fmt.Sprintf("xoxp-1-user%d", n)))
		case "/api/chat.postMessage":
			posted <- strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + r.PostForm.Get("token")
			io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1.1"}`)
		default:
			io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
		}
	}))
	defer fake.Close()
	logs := &lockedBuffer{}
	a, base, prefix := serveDistributed(t, fake.URL, logs, true)
	rdb := pledgetest.Client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	install := func() {
		t.Helper()
		_, loc := startInstall(t, base)
		if code, body := get(t, base+"/slack/oauth/callback?code=c&state="+url.QueryEscape(loc.Query().Get("state"))); code != 200 {
			t.Fatalf("callback %d %s", code, body)
		}
	}
	to := bot.Recipient{Platform: bot.Slack, Workspace: "T7", Channel: "C1"}
	install()
	if err := a.bot.Deliver(ctx, bot.Notice{To: to, Reply: bot.Reply{Title: "Digest"}}); err != nil {
		t.Fatal(err)
	}
	if got := <-posted; got != "xoxe.xoxb-1-refreshed1" || refreshes.Load() != 1 {
		t.Fatalf("posted with %q after %d refreshes", got, refreshes.Load())
	}
	ev := `{"type":"event_callback","team_id":"T7","event_id":"EvU9","event":{"type":"app_uninstalled"}}`
	ts := time.Now().Unix()
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/events", strings.NewReader(ev))
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", slackadapter.Sign("s3cret", ts, []byte(ev)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("event: %v %v", resp, err)
	}
	resp.Body.Close()
	c := a.bot.Tenancy().Community(bot.Slack, "T7")
	n := bot.Notice{Community: c, To: to, Reply: bot.Reply{Title: "Held"}}
	if k, err := a.store.Enqueue(ctx, c, "", 0, time.Hour, []store.Outgoing{{Key: "held-1", Notice: n}}); err != nil || k != 1 {
		t.Fatalf("enqueue %d %v", k, err)
	}
	if sent, err := a.sched.Drain(ctx, c); err != nil || sent != 0 {
		t.Fatalf("drain while uninstalled: %d %v", sent, err)
	}
	install()
	if sent, err := a.sched.Drain(ctx, c); err != nil || sent != 1 {
		t.Fatalf("drain after reinstall: %d %v", sent, err)
	}
	if got := <-posted; got != "xoxe.xoxb-1-install2" {
		t.Fatalf("held notice posted with %q", got)
	}

	var found []string
	scan := func(where, text string) {
		for _, bad := range []string{"xoxb-", "xoxe-", "xoxp-", "xoxe."} {
			if strings.Contains(text, bad) {
				found = append(found, where+" holds "+bad)
			}
		}
		secrets.Range(func(k, _ any) bool {
			if strings.Contains(text, k.(string)) {
				found = append(found, where+" holds a token the fake Slack handed out")
			}
			return true
		})
	}
	keys, err := pledgetest.Keys(rdb, prefix)
	if err != nil || len(keys) < 3 {
		t.Fatalf("%d keys, %v", len(keys), err)
	}
	types := map[string]int{}
	for _, k := range keys {
		scan("key "+k, k)
		var vals []string
		typ := rdb.Type(ctx, k).Val()
		types[typ]++
		switch typ {
		case "string":
			vals = []string{rdb.Get(ctx, k).Val()}
		case "hash":
			for f, v := range rdb.HGetAll(ctx, k).Val() {
				vals = append(vals, f, v)
			}
		case "list":
			vals = rdb.LRange(ctx, k, 0, -1).Val()
		case "set":
			vals = rdb.SMembers(ctx, k).Val()
		case "zset":
			vals = rdb.ZRange(ctx, k, 0, -1).Val()
		case "stream":
			for _, m := range rdb.XRange(ctx, k, "-", "+").Val() {
				vals = append(vals, m.ID)
				for f, v := range m.Values {
					vals = append(vals, f, fmt.Sprint(v))
				}
			}
		case "none": // expired meanwhile
		default:
			t.Errorf("key %s has type %s, which the scan does not read", k, typ)
		}
		scan("key "+k, strings.Join(vals, "\n"))
	}
	t.Logf("scanned %d keys by type: %v", len(keys), types)
	_, metricsBody := get(t, base+"/metrics")
	scan("/metrics", metricsBody)
	if !strings.Contains(metricsBody, "\npledgebot_slack_installations 1\n") {
		t.Error("/metrics does not count the installation")
	}
	_, readyBody := get(t, base+"/readyz")
	scan("/readyz", readyBody)
	var list strings.Builder
	ins, _ := a.store.SlackInstalls(ctx)
	printSlackInstalls(&list, ins)
	scan("slack-installs", list.String())
	if !strings.Contains(logs.String(), "token refreshed") {
		t.Errorf("the logs were not captured:\n%s", logs.String())
	}
	scan("the logs", logs.String())
	for _, f := range found {
		t.Error(f)
	}
}
