package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

const (
	secret = "test-signing-secret"
	team   = "T0TEAM"
)

// call is one request the fake Slack received.
type call struct {
	Method string     // "chat.postMessage", or "response" for response_url posts
	Form   url.Values // form-encoded Web API calls
	Body   []byte     // JSON calls and response_url posts
	Auth   string     // the token the call carried (Authorization header or form token)
}

// fakeSlack speaks the Web API's wire format for the methods the adapter
// uses, plus a response_url endpoint, and records every call.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server

	mu    sync.Mutex
	calls []call
	// limited[method] answers that many 429s (Retry-After: retryAfter) first.
	limited    map[string]int
	retryAfter int
	// broken[method] answers that many 500s first.
	broken map[string]int
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{t: t, limited: map[string]int{}, retryAfter: 7, broken: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	method = strings.TrimPrefix(method, "/")
	c := call{Method: method, Body: body, Auth: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		c.Form, _ = url.ParseQuery(string(body))
		if tok := c.Form.Get("token"); tok != "" {
			c.Auth = tok
		}
	}
	f.mu.Lock()
	if f.limited[method] > 0 {
		f.limited[method]--
		f.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"ok":false,"error":"ratelimited"}`)
		return
	}
	if f.broken[method] > 0 {
		f.broken[method]--
		f.mu.Unlock()
		http.Error(w, "upstream trouble", http.StatusInternalServerError)
		return
	}
	f.calls = append(f.calls, c)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasPrefix(method, "response"):
		io.WriteString(w, "ok")
	case method == "conversations.open":
		io.WriteString(w, `{"ok":true,"channel":{"id":"D0DM"}}`)
	case method == "chat.postMessage":
		io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1.2"}`)
	case method == "files.getUploadURLExternal":
		fmt.Fprintf(w, `{"ok":true,"upload_url":%q,"file_id":"F0FILE"}`, f.srv.URL+"/upload/F0FILE")
	case strings.HasPrefix(method, "upload/"):
		io.WriteString(w, "OK - 1")
	case method == "files.completeUploadExternal":
		io.WriteString(w, `{"ok":true,"files":[{"id":"F0FILE","title":"export"}]}`)
	case method == "views.open", method == "views.publish":
		io.WriteString(w, `{"ok":true,"view":{"id":"V1"}}`)
	default:
		io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

// Calls returns the recorded calls of one method.
func (f *fakeSlack) Calls(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// wait polls (loopback, tiny steps) until n calls of method arrived.
func (f *fakeSlack) wait(method string, n int) []call {
	f.t.Helper()
	for i := 0; i < 2000; i++ {
		if cs := f.Calls(method); len(cs) >= n {
			return cs
		}
		time.Sleep(2 * time.Millisecond)
	}
	f.t.Fatalf("fake Slack: want %d %s calls, got %d", n, method, len(f.Calls(method)))
	return nil
}

func (f *fakeSlack) responseURL() string { return f.srv.URL + "/response" }

// env is an adapter over a real-Redis bot, talking to a fake Slack.
type env struct {
	t     *testing.T
	h     *pledgetest.Harness
	a     *Adapter
	slack *fakeSlack
	mux   *http.ServeMux
	now   time.Time
	seq   int

	mu    sync.Mutex
	slept []time.Duration
}

func newEnv(t *testing.T, mod ...func(*Options)) *env {
	return newEnvOn(t, pledgetest.New(t), mod...)
}

// newEnvOn is newEnv on a harness of the test's own (a Redis it can stall).
// The clock starts now: slack-go's verifier checks the timestamp window
// against the real clock.
func newEnvOn(t *testing.T, h *pledgetest.Harness, mod ...func(*Options)) *env {
	e := &env{t: t, h: h, slack: newFakeSlack(t), mux: http.NewServeMux(), now: time.Now()}
	o := Options{Bot: h.Bot, Once: h.Store, SigningSecret: secret, BotToken: "xoxb-test", APIURL: e.slack.srv.URL + "/api/",
		Now: func() time.Time { return e.now }, Budget: time.Minute,
		Sleep: func(ctx context.Context, d time.Duration) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.slept = append(e.slept, d)
			return ctx.Err()
		}}
	for _, m := range mod {
		m(&o)
	}
	e.a = New(o)
	t.Cleanup(e.a.Close)
	e.a.Routes(e.mux)
	return e
}

// post sends a signed request (signature from sign) to path.
func (e *env) post(path string, body string, sign func(ts int64, body []byte) (string, string)) *httptest.ResponseRecorder {
	ts, sig := sign(e.now.Unix(), []byte(body))
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if ts != "" {
		r.Header.Set("X-Slack-Request-Timestamp", ts)
	}
	if sig != "" {
		r.Header.Set("X-Slack-Signature", sig)
	}
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, r)
	return w
}

func good(ts int64, body []byte) (string, string) {
	return strconv.FormatInt(ts, 10), Sign(secret, ts, body)
}

// answer is a decoded slash command answer; Blocks is the raw JSON with
// Go's \u003c-style escapes undone so tests can look for text.
type answer struct {
	ResponseType string          `json:"response_type"`
	Text         string          `json:"text"`
	Blocks       json.RawMessage `json:"blocks"`
}

func (a answer) String() string { return unescapeJSON(string(a.Blocks)) + " | " + a.Text }

func unescapeJSON(s string) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(s)
}

// command runs a signed slash command as user and returns the answer.
func (e *env) command(user, line string) (int, answer) {
	e.seq++
	return e.commandID(user, line, fmt.Sprintf("trig-%d", e.seq))
}

func (e *env) commandID(user, line, trigger string) (int, answer) {
	e.t.Helper()
	name, text, _ := strings.Cut(line, " ")
	form := url.Values{"command": {name}, "text": {text}, "team_id": {team}, "user_id": {user}, "user_name": {strings.ToLower(user)},
		"channel_id": {"C0CHAN"}, "response_url": {e.slack.responseURL()}, "trigger_id": {trigger}}
	w := e.post("/slack/commands", form.Encode(), good)
	var m answer
	if w.Body.Len() > 0 {
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			e.t.Fatalf("%s: answer is not JSON: %v: %s", line, err, w.Body)
		}
	}
	return w.Code, m
}

// mustCommand runs a command that must be answered synchronously without a
// refusal, and returns the answer's JSON text.
func (e *env) mustCommand(user, line string) string {
	e.t.Helper()
	code, m := e.command(user, line)
	if code != http.StatusOK || strings.Contains(m.String(), ":warning:") || len(m.Blocks) == 0 {
		e.t.Fatalf("%s: status %d: %s", line, code, m)
	}
	return m.String()
}

// interact posts a signed interaction payload.
func (e *env) interact(payload any) *httptest.ResponseRecorder {
	js, err := json.Marshal(payload)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.post("/slack/interactions", url.Values{"payload": {string(js)}}.Encode(), good)
}

// event posts a signed Events API body.
func (e *env) event(body string) *httptest.ResponseRecorder {
	return e.post("/slack/events", body, good)
}

func (e *env) community() string { return e.h.Bot.Tenancy().Community(bot.Slack, team) }

func (e *env) identity(user string) bot.Identity {
	return bot.Identity{Platform: bot.Slack, Workspace: team, User: user}
}

type failingOnce struct{}

func (failingOnce) Once(context.Context, string, string, time.Duration) (bool, error) {
	return false, bot.ErrUnavailable
}
