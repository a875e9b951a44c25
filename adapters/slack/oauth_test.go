package slack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/tokenbox"
)

// memInstalls is an InstallStore in memory; expiry is left to the
// signed timestamp (the store's own TTL is tested in package store).
type memInstalls struct {
	mu       sync.Mutex
	states   map[string]bool
	installs map[string]Installation
}

func (m *memInstalls) PutOAuthState(_ context.Context, s string, _ time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.states[s] {
		return false, nil
	}
	m.states[s] = true
	return true, nil
}

func (m *memInstalls) TakeOAuthState(_ context.Context, s string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ok := m.states[s]
	delete(m.states, s)
	return ok, nil
}

func (m *memInstalls) SaveInstall(_ context.Context, in Installation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.installs[in.Team] = in
	return nil
}

const rawToken = "xoxb-T1-secret-bot-token"

// fakeOAuth is Slack's oauth.v2.access on loopback: code "good" installs
// team T1, any other code is invalid_code.
func fakeOAuth(t *testing.T, got *url.Values) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/oauth.v2.access" {
			http.NotFound(w, r)
			return
		}
		r.ParseForm()
		*got = r.PostForm
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("code") != "good" {
			io.WriteString(w, `{"ok":false,"error":"invalid_code"}`)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"access_token":%q,"token_type":"bot","scope":"commands,chat:write,im:write",
			"bot_user_id":"UBOT","team":{"id":"T1","name":"Town"},"enterprise":{"id":"E1"},"authed_user":{"id":"U9"},
			"refresh_token":"xoxe-1-refresh","expires_in":43200}`, rawToken)
	}))
	t.Cleanup(srv.Close)
	return srv
}

type oauthRig struct {
	mux   *http.ServeMux
	store *memInstalls
	box   *tokenbox.Box
	form  url.Values
	logs  bytes.Buffer
	now   time.Time
}

func newOAuthRig(t *testing.T) *oauthRig {
	rig := &oauthRig{store: &memInstalls{states: map[string]bool{}, installs: map[string]Installation{}},
		now: time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)}
	rig.box, _ = tokenbox.New(bytes.Repeat([]byte{7}, 32))
	api := fakeOAuth(t, &rig.form)
	in := NewInstaller(InstallerOptions{ClientID: "123.456", ClientSecret: "client-secret", RedirectURL: "https://pb.example.org/slack/oauth/callback",
		APIURL: api.URL + "/api/", Store: rig.store, Box: rig.box, Logger: slog.New(slog.NewTextHandler(&rig.logs, nil)),
		Now: func() time.Time { return rig.now }})
	rig.mux = http.NewServeMux()
	in.Routes(rig.mux)
	return rig
}

func (rig *oauthRig) get(path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	rig.mux.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w
}

// install follows GET /slack/install and returns the state it carries.
func (rig *oauthRig) install(t *testing.T) string {
	w := rig.get("/slack/install")
	if w.Code != http.StatusFound {
		t.Fatalf("install: %d", w.Code)
	}
	u, _ := url.Parse(w.Header().Get("Location"))
	return u.Query().Get("state")
}

func TestInstallRedirect(t *testing.T) {
	rig := newOAuthRig(t)
	w := rig.get("/slack/install")
	loc, _ := url.Parse(w.Header().Get("Location"))
	if w.Code != http.StatusFound || loc.Path != "/oauth/v2/authorize" || !strings.HasPrefix(loc.String(), "http://127.0.0.1:") {
		t.Fatalf("%d to %s", w.Code, loc)
	}
	q := loc.Query()
	if q.Get("client_id") != "123.456" || q.Get("scope") != "commands,chat:write,im:write" ||
		q.Get("redirect_uri") != "https://pb.example.org/slack/oauth/callback" || q.Get("state") == "" {
		t.Fatalf("query %v", q)
	}
	if !rig.store.states[q.Get("state")] {
		t.Fatal("the state was not kept")
	}
	if (&Installer{}).authorizeURL() != "https://slack.com/oauth/v2/authorize" {
		t.Fatal("without an API URL the authorize page is not Slack's")
	}
}

func TestInstallFlow(t *testing.T) {
	rig := newOAuthRig(t)
	state := rig.install(t)
	w := rig.get("/slack/oauth/callback?code=good&state=" + url.QueryEscape(state))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Pledgebot is installed") || !strings.Contains(w.Body.String(), "/pledgebot help") {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if rig.form.Get("client_id") != "123.456" || rig.form.Get("client_secret") != "client-secret" || rig.form.Get("code") != "good" ||
		rig.form.Get("redirect_uri") != "https://pb.example.org/slack/oauth/callback" {
		t.Fatalf("oauth.v2.access got %v", rig.form)
	}
	in, ok := rig.store.installs["T1"]
	if !ok {
		t.Fatal("nothing stored")
	}
	// 43200 s after 01:00 is 13:00 the same day.
	if in.Enterprise != "E1" || in.BotUser != "UBOT" || in.Scopes != "commands,chat:write,im:write" || in.Installer != "U9" ||
		!in.InstalledAt.Equal(rig.now) || !in.ExpiresAt.Equal(time.Date(2026, 12, 6, 13, 0, 0, 0, time.UTC)) {
		t.Fatalf("stored %+v", in)
	}
	if strings.Contains(in.Token, "xoxb-") || strings.Contains(in.Refresh, "xoxe-") {
		t.Fatalf("stored a token in the clear: %+v", in)
	}
	if tok, err := rig.box.Open("T1", in.Token); err != nil || tok != rawToken {
		t.Fatalf("sealed token opens to %q, %v", tok, err)
	}
	if r, err := rig.box.Open("T1", in.Refresh); err != nil || r != "xoxe-1-refresh" {
		t.Fatalf("sealed refresh opens to %q, %v", r, err)
	}
	if s := rig.logs.String(); strings.Contains(s, "xoxb-") || strings.Contains(s, "xoxe-") || strings.Contains(s, "client-secret") {
		t.Fatalf("logs show a secret:\n%s", s)
	}
}

func TestInstallCallbackRefusals(t *testing.T) {
	rig := newOAuthRig(t)
	used := rig.install(t)
	rig.get("/slack/oauth/callback?code=good&state=" + url.QueryEscape(used))
	delete(rig.store.installs, "T1")
	fresh := rig.install(t)
	body, _, _ := cutLast(fresh, ".")
	nonce, _, _ := cutLast(body, ".")
	// A state signed with another client secret: forged.
	other := NewInstaller(InstallerOptions{ClientSecret: "not-ours", Store: rig.store, Now: func() time.Time { return rig.now }})
	forged, _ := other.newState(context.Background())
	// Eleven minutes old, though still in the store.
	old := NewInstaller(InstallerOptions{ClientSecret: "client-secret", Store: rig.store, Now: func() time.Time { return rig.now.Add(-11 * time.Minute) }})
	stale, _ := old.newState(context.Background())
	tests := []struct {
		name, query string
		code        int
		want        string
	}{
		{"no state", "code=good", 400, "not valid"},
		{"forged state", "code=good&state=" + url.QueryEscape(forged), 400, "not valid"},
		{"signature cut off", "code=good&state=" + url.QueryEscape(body), 400, "not valid"},
		{"another time under the signature", "code=good&state=" + url.QueryEscape(fmt.Sprintf("%s.%d.%s", nonce, rig.now.Unix()+60, fresh[len(body)+1:])), 400, "not valid"},
		{"expired state", "code=good&state=" + url.QueryEscape(stale), 400, "not valid"},
		{"reused state", "code=good&state=" + url.QueryEscape(used), 400, "already used"},
		{"script in the error", "error=%3Cscript%3Ealert(1)%3C/script%3E&state=" + url.QueryEscape(rig.install(t)), 400, "&lt;script&gt;"},
		{"cancelled", "error=access_denied&state=" + url.QueryEscape(rig.install(t)), 200, "You chose Cancel"},
		{"bad code", "code=stale&state=" + url.QueryEscape(rig.install(t)), 502, "Slack refused the install code (invalid_code)"},
		{"no code", "state=" + url.QueryEscape(rig.install(t)), 400, "Slack sent no install code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := rig.get("/slack/oauth/callback?" + tc.query)
			if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.want) {
				t.Fatalf("%d %s; want %d with %q", w.Code, w.Body, tc.code, tc.want)
			}
			if strings.Contains(w.Body.String(), "<script>") {
				t.Fatal("the page carries markup from the link")
			}
			if len(rig.store.installs) != 0 {
				t.Fatalf("stored %v", rig.store.installs)
			}
		})
	}
	// The fresh state was never spent by the refusals above.
	if w := rig.get("/slack/oauth/callback?code=good&state=" + url.QueryEscape(fresh)); w.Code != 200 {
		t.Fatalf("fresh state: %d %s", w.Code, w.Body)
	}
}
