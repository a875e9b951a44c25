package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	slackadapter "github.com/pledgebot/pledgebot/adapters/slack"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
	"github.com/pledgebot/pledgebot/tokenbox"
)

// rotatingSlack is a fake Slack with token rotation on: oauth.v2.access
// with grant_type=refresh_token answers a new pair (slowly, so replicas
// overlap) and counts the calls; chat.postMessage records the token.
type rotatingSlack struct {
	refreshes atomic.Int32 // successful ones
	attempts  atomic.Int32
	mu        sync.Mutex
	posted    []string
	*httptest.Server
}

func newRotatingSlack(t *testing.T) *rotatingSlack {
	f := &rotatingSlack{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		r.ParseForm()
		switch r.URL.Path {
		case "/api/oauth.v2.access":
			f.attempts.Add(1)
			time.Sleep(300 * time.Millisecond)
			if r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("refresh_token") != "xoxe-1-old" ||
				r.PostForm.Get("client_secret") != "cs" {
				io.WriteString(w, `{"ok":false,"error":"invalid_refresh_token"}`)
				return
			}
			f.refreshes.Add(1)
			io.WriteString(w, `{"ok":true,"access_token":"xoxe.xoxb-1-new","refresh_token":"xoxe-1-new","expires_in":43200,"token_type":"bot","team":{"id":"T7"}}`)
		case "/api/chat.postMessage":
			f.mu.Lock()
			f.posted = append(f.posted, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+r.PostForm.Get("token"))
			f.mu.Unlock()
			io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1.1"}`)
		default:
			io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// TestTokenRotationOnceAcrossReplicas: two replicas (two stores on one
// Redis prefix, two adapters) each send a notice to a workspace whose
// token expires in 5 minutes (under RefreshAhead's 10): Slack sees one
// refresh, both posts carry the new token, and the store holds the new
// pair sealed with an expiry 43200 s (12 h) after the refresh.
func TestTokenRotationOnceAcrossReplicas(t *testing.T) {
	fake := newRotatingSlack(t)
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	box, _ := tokenbox.New([]byte("0123456789abcdef0123456789abcdef"))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	seal := func(s string) string { v, _ := box.Seal("T7", s); return v }
	now := time.Now().UTC().Truncate(time.Second)
	first := store.New(rdb, prefix)
	if err := first.SaveSlackInstall(ctx, store.SlackInstall{Team: "T7", Token: seal("xoxe.xoxb-1-old"), Refresh: seal("xoxe-1-old"),
		BotUser: "UB", Scopes: "commands,chat:write", InstalledAt: now.Add(-12 * time.Hour), ExpiresAt: now.Add(5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	var replicas []*slackadapter.Adapter
	for _, st := range []*store.Store{first, store.New(rdb, prefix)} {
		tokens := slackadapter.NewInstalledTokens(slackadapter.TokensOptions{Store: installStore{st}, Box: box,
			ClientID: "1.2", ClientSecret: "cs", APIURL: fake.URL + "/api/"})
		ad := slackadapter.New(slackadapter.Options{Tokens: tokens, APIURL: fake.URL + "/api/"})
		defer ad.Close()
		replicas = append(replicas, ad)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(replicas))
	for i, ad := range replicas {
		wg.Go(func() {
			errs[i] = ad.Send(ctx, bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: "T7", Channel: "C1"}, Reply: bot.Reply{Title: "Digest"}})
		})
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("send: %v, %v", errs[0], errs[1])
	}
	if n := fake.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if len(fake.posted) != 2 || fake.posted[0] != "xoxe.xoxb-1-new" || fake.posted[1] != "xoxe.xoxb-1-new" {
		t.Fatalf("posted with %q", fake.posted)
	}
	in, err := first.SlackInstall(ctx, "T7")
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := box.Open("T7", in.Token)
	rt, _ := box.Open("T7", in.Refresh)
	if tok != "xoxe.xoxb-1-new" || rt != "xoxe-1-new" || strings.Contains(in.Token, "xox") {
		t.Fatalf("stored %q / %q", tok, rt)
	}
	if d := in.ExpiresAt.Sub(now); d < 12*time.Hour || d > 12*time.Hour+time.Minute {
		t.Fatalf("new expiry %v after the old clock", d)
	}
	if n := rdb.Exists(ctx, prefix+":slack:refresh:T7").Val(); n != 0 {
		t.Fatal("the refresh lock was left behind")
	}
	// Fresh now: the next call refreshes nothing.
	if err := replicas[1].Send(ctx, bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: "T7", Channel: "C1"}, Reply: bot.Reply{Title: "Again"}}); err != nil {
		t.Fatal(err)
	}
	if n := fake.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes after a fresh token", n)
	}
}

// TestTokenRefreshRefused: Slack refuses the refresh. While the token
// has minutes left, the call goes out with it (and the refresh is tried
// again next time); once it has expired, the call fails and says why,
// without any token.
func TestTokenRefreshRefused(t *testing.T) {
	fake := newRotatingSlack(t)
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	box, _ := tokenbox.New([]byte("0123456789abcdef0123456789abcdef"))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st := store.New(rdb, prefix)
	tokens := slackadapter.NewInstalledTokens(slackadapter.TokensOptions{Store: installStore{st}, Box: box,
		ClientID: "1.2", ClientSecret: "cs", APIURL: fake.URL + "/api/", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	now := time.Now().UTC().Truncate(time.Second)
	for _, c := range []struct {
		left    time.Duration
		wantErr bool
	}{{5 * time.Minute, false}, {-time.Minute, true}} {
		tok, _ := box.Seal("T7", "xoxe.xoxb-1-old")
		rt, _ := box.Seal("T7", "xoxe-1-revoked") // the fake refuses it
		st.SaveSlackInstall(ctx, store.SlackInstall{Team: "T7", Token: tok, Refresh: rt, InstalledAt: now, ExpiresAt: now.Add(c.left)})
		got, err := tokens.BotToken(ctx, "T7")
		if c.wantErr {
			if err == nil || !strings.Contains(err.Error(), "invalid_refresh_token") || strings.Contains(err.Error(), "xox") {
				t.Fatalf("expired: %q, %v", got, err)
			}
			continue
		}
		if err != nil || got != "xoxe.xoxb-1-old" {
			t.Fatalf("%v left: %q, %v", c.left, got, err)
		}
	}
}

// TestTokenSweep: two replicas sweep at once. T7's token has 15 minutes
// left (under SweepAhead's 20, over RefreshAhead's 10): it is refreshed
// once, by one of them. T8's has 2 hours left and T9's never expires
// (no rotation): neither is touched.
func TestTokenSweep(t *testing.T) {
	fake := newRotatingSlack(t)
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	box, _ := tokenbox.New([]byte("0123456789abcdef0123456789abcdef"))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	now := time.Now().UTC().Truncate(time.Second)
	st := store.New(rdb, prefix)
	for _, in := range []struct {
		team, refresh string
		left          time.Duration
	}{{"T7", "xoxe-1-old", 15 * time.Minute}, {"T8", "xoxe-1-old", 2 * time.Hour}, {"T9", "", 0}} {
		tok, _ := box.Seal(in.team, "xoxe.xoxb-1-old")
		si := store.SlackInstall{Team: in.team, Token: tok, InstalledAt: now}
		if in.refresh != "" {
			si.Refresh, _ = box.Seal(in.team, in.refresh)
			si.ExpiresAt = now.Add(in.left)
		}
		if err := st.SaveSlackInstall(ctx, si); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i := range counts {
		tokens := slackadapter.NewInstalledTokens(slackadapter.TokensOptions{Store: installStore{store.New(rdb, prefix)}, Box: box,
			ClientID: "1.2", ClientSecret: "cs", APIURL: fake.URL + "/api/", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		wg.Go(func() {
			n, err := tokens.Sweep(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		})
	}
	wg.Wait()
	if n := fake.refreshes.Load(); n != 1 || counts[0]+counts[1] != 1 {
		t.Fatalf("%d refreshes at Slack, %v counted by the replicas; want 1", n, counts)
	}
	for team, want := range map[string]string{"T7": "xoxe.xoxb-1-new", "T8": "xoxe.xoxb-1-old", "T9": "xoxe.xoxb-1-old"} {
		in, _ := st.SlackInstall(ctx, team)
		if got, _ := box.Open(team, in.Token); got != want {
			t.Errorf("%s: %q, want %q", team, got, want)
		}
	}
}

// TestTokenRefreshRefusedTwoReplicas: Slack refuses the refresh (after
// 300 ms) that one of two replicas makes while the token has 5 minutes
// left. Both go on with the old token at once: the one that waited sees
// the lock freed with the old token still stored, and does not wait out
// its 15 s nor ask Slack again.
func TestTokenRefreshRefusedTwoReplicas(t *testing.T) {
	fake := newRotatingSlack(t)
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	box, _ := tokenbox.New([]byte("0123456789abcdef0123456789abcdef"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	now := time.Now().UTC().Truncate(time.Second)
	tok, _ := box.Seal("T7", "xoxe.xoxb-1-old")
	rt, _ := box.Seal("T7", "xoxe-1-revoked")
	st := store.New(rdb, prefix)
	st.SaveSlackInstall(ctx, store.SlackInstall{Team: "T7", Token: tok, Refresh: rt, InstalledAt: now, ExpiresAt: now.Add(5 * time.Minute)})
	start := time.Now()
	var wg sync.WaitGroup
	got := make([]string, 2)
	for i := range got {
		tokens := slackadapter.NewInstalledTokens(slackadapter.TokensOptions{Store: installStore{store.New(rdb, prefix)}, Box: box,
			ClientID: "1.2", ClientSecret: "cs", APIURL: fake.URL + "/api/", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		wg.Go(func() {
			var err error
			if got[i], err = tokens.BotToken(ctx, "T7"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("took %v", took)
	}
	if got[0] != "xoxe.xoxb-1-old" || got[1] != "xoxe.xoxb-1-old" || fake.attempts.Load() != 1 {
		t.Fatalf("tokens %q after %d refresh attempts", got, fake.attempts.Load())
	}
}
