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
	"sync/atomic"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

func TestSignatureVerification(t *testing.T) {
	e := newEnv(t)
	form := url.Values{"command": {"/business"}, "text": {"register Unsigned Ltd"}, "team_id": {team},
		"user_id": {"U1"}, "trigger_id": {"t1"}, "response_url": {e.slack.responseURL()}}.Encode()
	for _, tc := range []struct {
		name string
		sign func(ts int64, body []byte) (string, string)
		body string
		want int
	}{
		{"no headers", func(int64, []byte) (string, string) { return "", "" }, form, 401},
		{"no signature", func(ts int64, _ []byte) (string, string) { return strconv.FormatInt(ts, 10), "" }, form, 401},
		{"wrong secret", func(ts int64, b []byte) (string, string) { return strconv.FormatInt(ts, 10), Sign("other", ts, b) }, form, 401},
		{"stale", func(ts int64, b []byte) (string, string) {
			old := ts - int64(MaxSkew/time.Second) - 1
			return strconv.FormatInt(old, 10), Sign(secret, old, b)
		}, form, 401},
		{"future", func(ts int64, b []byte) (string, string) {
			late := ts + int64(MaxSkew/time.Second) + 1
			return strconv.FormatInt(late, 10), Sign(secret, late, b)
		}, form, 401},
		{"signed other body", func(ts int64, b []byte) (string, string) {
			return strconv.FormatInt(ts, 10), Sign(secret, ts, []byte("text=hello"))
		}, form, 401},
		{"bad timestamp", func(ts int64, b []byte) (string, string) { return "soon", Sign(secret, ts, b) }, form, 401},
		{"too large", good, form + "&pad=" + strings.Repeat("x", MaxBody), 401},
	} {
		for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
			if w := e.post(path, tc.body, tc.sign); w.Code != tc.want {
				t.Errorf("%s %s: status %d, want %d", tc.name, path, w.Code, tc.want)
			}
		}
	}
	e.a.Close()
	if bs, err := e.h.Store.BusinessesOf(context.Background(), e.community(), e.identity("U1")); err != nil || len(bs) != 0 {
		t.Fatalf("a refused request acted: %v %v", bs, err)
	}
	if n := len(e.slack.Calls("response")); n != 0 {
		t.Fatalf("a refused request posted %d replies", n)
	}
}

func TestSignedCommandWithinWindow(t *testing.T) {
	e := newEnv(t)
	// Four minutes old is still inside the five-minute window.
	form := url.Values{"command": {"/business"}, "text": {"register Acme"}, "team_id": {team}, "user_id": {"U1"}, "trigger_id": {"t1"}}.Encode()
	w := e.post("/slack/commands", form, func(ts int64, b []byte) (string, string) {
		ts -= 240
		return strconv.FormatInt(ts, 10), Sign(secret, ts, b)
	})
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Registered business #1: Acme") {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var m answer
	json.Unmarshal(w.Body.Bytes(), &m)
	if m.ResponseType != ephemeral {
		t.Fatalf("response_type %q, want ephemeral by default", m.ResponseType)
	}
}

func TestBadPayloads(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ path, body string }{
		{"/slack/commands", "command=pledge&team_id=T1&user_id=U1"},     // no slash
		{"/slack/commands", "command=%2Fpledge&team_id=T+1&user_id=U1"}, // bad team id
		{"/slack/commands", "command=%2Fpledge&team_id=T1&user_id=U1&response_url=file%3A%2F%2F%2Fetc%2Fpasswd"},
		{"/slack/commands", "command=%2Fpledge&team_id=T1&user_id=U1&text=%zz"}, // not form encoding
		{"/slack/interactions", "payload=%7Bnot+json"},
		{"/slack/interactions", "payload=%7B%7D"},
		{"/slack/events", `{"type":"event_callback","team_id":"T1"}`},
		{"/slack/events", `[]`},
	} {
		if w := e.post(tc.path, tc.body, good); w.Code != http.StatusBadRequest {
			t.Errorf("%s %q: status %d, want 400", tc.path, tc.body, w.Code)
		}
	}
}

func TestSlashCommandsMapOntoCore(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme Bakery")
	js := e.mustCommand("U1", `/pledge add "Hire two apprentices" theme:apprenticeships target:2`)
	if !strings.Contains(js, "Pledge #1 added for Acme Bakery") || !strings.Contains(js, "pledge done 1") {
		t.Fatalf("pledge add answer: %s", js)
	}
	// /pledgebot reaches the core's help.
	if js := e.mustCommand("U1", "/pledgebot"); !strings.Contains(js, "Pledgebot commands") {
		t.Fatalf("/pledgebot: %s", js)
	}
	if js := e.mustCommand("U1", "/pledgebot help pledge"); !strings.Contains(js, "/pledge add TEXT") {
		t.Fatalf("/pledgebot help pledge: %s", js)
	}
	// Errors come back as an ephemeral warning.
	_, m := e.command("U1", "/pledge add theme:carbon")
	if m.ResponseType != ephemeral || !strings.Contains(m.String(), "TEXT") || !strings.Contains(m.String(), "Usage: /pledge add") {
		t.Fatalf("usage error: %s", m)
	}
}

func TestRolesAndSettingsOnlyWhenTheyExist(t *testing.T) {
	e := newEnv(t)
	_, m := e.command("U1", "/pledgebot settings")
	if e.h.Bot.Command("settings") == nil && !strings.Contains(m.String(), "not available") {
		t.Fatalf("/pledgebot settings without a settings command: %s", m)
	}
}

func TestShareYes(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme")
	_, m := e.command("U1", `/pledge add "Open share:yes days" theme:schools share:yes`)
	if m.ResponseType != inChannel {
		t.Fatalf("share:yes: response_type %q", m.ResponseType)
	}
	if !strings.Contains(m.String(), "Open share:yes days") {
		t.Fatalf("share:yes inside quotes must stay part of the text: %s", m)
	}
	if _, m := e.command("U1", "/pledge list"); m.ResponseType != ephemeral {
		t.Fatalf("default must be ephemeral, got %q", m.ResponseType)
	}
	if _, m := e.command("U1", "/pledge nonsense share:yes"); m.ResponseType != ephemeral {
		t.Fatalf("a refusal must never be posted in channel, got %q", m.ResponseType)
	}
}

func TestStripShare(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		share   bool
	}{
		{"list", "list", false},
		{"list share:yes", "list", true},
		{"share:YES list", "list", true},
		{"list share:no", "list", false},
		{`add "a share:yes b" theme:x`, `add "a share:yes b" theme:x`, false},
		{`add "a" share:yes`, `add "a"`, true},
		{"add sharey:yes", "add sharey:yes", false},
	} {
		out, share := stripShare(tc.in)
		if out != tc.out || share != tc.share {
			t.Errorf("stripShare(%q) = %q, %v; want %q, %v", tc.in, out, share, tc.out, tc.share)
		}
	}
}

func TestReplayedTriggerIDHasOneEffect(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme")
	line := `/pledge add "Plant trees" theme:carbon target:5`
	_, first := e.commandID("U1", line, "same-trigger")
	_, again := e.commandID("U1", line, "same-trigger")
	if first.String() != again.String() || !strings.Contains(first.String(), "Pledge #1 added") {
		t.Fatalf("replay answered differently:\n%s\n%s", first, again)
	}
	ps, err := e.h.Store.Pledges(context.Background(), e.community(), bot.Actor{ID: e.identity("U1")}, bot.PledgeFilter{Status: "all"})
	if err != nil || len(ps) != 1 {
		t.Fatalf("want one pledge after a replay, got %d (%v)", len(ps), err)
	}
}

func TestMentionsAndEscaping(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", `/business register <!channel> & <!here> <@U999> Ltd`)
	e.mustCommand("U1", "/business add-member <@U2|bob>")
	text := e.mustCommand("U1", "/business show")
	for _, bad := range []string{"<!channel>", "<!here>", "<@U999>"} {
		if strings.Contains(text, bad) {
			t.Fatalf("user text pings with %s: %s", bad, text)
		}
	}
	for _, want := range []string{"&lt;!channel&gt; &amp; &lt;!here&gt; &lt;@U999&gt; Ltd", "<@U1>", "<@U2>"} {
		if !strings.Contains(text, want) {
			t.Fatalf("want %q in %s", want, text)
		}
	}
}

func TestLongAnswerIsSplitAcrossResponseURL(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme")
	for i := 0; i < 40; i++ {
		e.mustCommand("U1", `/pledge add "Pledge number `+strconv.Itoa(i)+`" theme:waste target:1`)
	}
	code, first := e.command("U1", "/pledge list")
	var blocks []any
	json.Unmarshal(first.Blocks, &blocks)
	if code != 200 || len(blocks) != MaxBlocks || !strings.HasPrefix(first.Text, "(part 1 of 2)") {
		t.Fatalf("first part: %d, %d blocks, %q", code, len(blocks), first.Text)
	}
	rest := e.slack.wait("response", 1)
	if !strings.Contains(string(rest[0].Body), "(part 2 of 2)") || !strings.Contains(string(rest[0].Body), "Pledge number 0*") {
		t.Fatalf("second part: %s", rest[0].Body)
	}
}

func TestResponseURLLimitIsSaidNotSilent(t *testing.T) {
	e := newEnv(t)
	msgs := make([]message, 8)
	for i := range msgs {
		msgs[i] = message{Text: "part " + strconv.Itoa(i+1)}
	}
	e.a.postAll(t.Context(), e.slack.responseURL(), msgs)
	posts := e.slack.Calls("response")
	if len(posts) != maxResponsePosts || !strings.Contains(string(posts[4].Body), "4 more parts of this answer did not fit") {
		t.Fatalf("%d posts, last %s", len(posts), posts[len(posts)-1].Body)
	}
}

func TestCommandText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"register A &amp; B", "register A & B"},
		{"add \"x &lt;y&gt;\"", "add \"x <y>\""},
		{"add-member <@U123|bob>", "add-member <@U123|bob>"},
		{"see <https://example.org/a?b=1&amp;c=2|example.org/a>", "see example.org/a"},
		{"see <https://example.org>", "see https://example.org"},
		{"mail <mailto:a@b.org|a@b.org>", "mail a@b.org"},
		{"in <#C0123|general>", "in #general"},
		{"&amp;lt;", "&lt;"}, // decoded once, not twice
	} {
		if got := CommandText(tc.in); got != tc.want {
			t.Errorf("CommandText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapedCommandTextRoundTrips(t *testing.T) {
	e := newEnv(t)
	// Slack sends "A & B <Ltd>" as entities; it is stored as typed and
	// escaped exactly once on the way out.
	js := e.mustCommand("U1", "/business register A &amp; B &lt;Ltd&gt;")
	if !strings.Contains(js, "Registered business #1: A &amp; B &lt;Ltd&gt;") || strings.Contains(js, "&amp;amp;") {
		t.Fatalf("%s", js)
	}
	b, err := e.h.Store.Business(t.Context(), e.community(), 1)
	if err != nil || b.Name != "A & B <Ltd>" {
		t.Fatalf("stored %q (%v)", b.Name, err)
	}
}

func TestCommandAfterCloseAnswersWithoutHanging(t *testing.T) {
	e := newEnv(t)
	e.a.Close()
	code, m := e.command("U1", "/business register Late Ltd")
	if code != 200 || !strings.Contains(m.String(), ":warning:") {
		t.Fatalf("after Close: %d %s", code, m)
	}
	if bs, _ := e.h.Store.BusinessesOf(t.Context(), e.community(), e.identity("U1")); len(bs) != 0 {
		t.Fatalf("work started after Close: %v", bs)
	}
}

func TestSSLCheck(t *testing.T) {
	e := newEnv(t)
	if w := e.post("/slack/commands", "ssl_check=1&token=x", good); w.Code != 200 || w.Body.Len() != 0 {
		t.Fatalf("ssl_check: %d %s", w.Code, w.Body)
	}
}

func TestPledgebotRoutesToRolesAndSettings(t *testing.T) {
	e := newEnv(t)
	for _, name := range []string{"roles", "settings"} {
		e.h.Bot.Register(&bot.Command{Name: name, Help: name, Subs: []*bot.Subcommand{{Name: "show", Help: "show",
			Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
				return bot.Reply{Title: "ran /" + c.Command.Name + " " + c.Sub.Name}, nil
			}}}})
	}
	for _, name := range []string{"roles", "settings"} {
		if js := e.mustCommand("U1", "/pledgebot "+name+" show"); !strings.Contains(js, "ran /"+name+" show") {
			t.Fatalf("/pledgebot %s show: %s", name, js)
		}
	}
}

// slowServer is the adapter on a real loopback server with /slowtest, a
// command that runs until release is closed, and a 50 ms budget.
type slowServer struct {
	*env
	srv     *httptest.Server
	release chan struct{}
	running atomic.Bool
}

func newSlowServer(t *testing.T) *slowServer {
	s := &slowServer{env: newEnv(t, func(o *Options) { o.Budget = 50 * time.Millisecond }), release: make(chan struct{})}
	s.h.Bot.Register(&bot.Command{Name: "slowtest", Subs: []*bot.Subcommand{{Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
		s.running.Store(true)
		defer s.running.Store(false)
		select {
		case <-s.release:
			return bot.Reply{Text: "finally done"}, nil
		case <-ctx.Done():
			return bot.Reply{}, ctx.Err()
		}
	}}}})
	s.srv = httptest.NewServer(s.mux)
	t.Cleanup(s.srv.Close)
	t.Cleanup(s.finish) // before the adapter's Close, which waits for the command
	return s
}

func (s *slowServer) finish() {
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

// do sends one signed slash command with client and returns the response
// and its body.
func (s *slowServer) do(client *http.Client, command, text string) (*http.Response, string) {
	s.t.Helper()
	s.seq++
	form := url.Values{"command": {command}, "text": {text}, "team_id": {team}, "user_id": {"U1"}, "user_name": {"u1"},
		"channel_id": {"C0CHAN"}, "response_url": {s.slack.responseURL()}, "trigger_id": {fmt.Sprintf("trig-slow-%d", s.seq)}}.Encode()
	ts := s.now.Unix()
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/slack/commands", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", Sign(secret, ts, []byte(form)))
	resp, err := client.Do(req) // returns once the whole response is in
	if err != nil {
		s.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// A slow command's empty acknowledgement reaches Slack over the wire at the
// budget while the command still runs on the request's own goroutine; the
// answer then goes to response_url.
func TestSlowCommandAcknowledgedOverTheWireBeforeItEnds(t *testing.T) {
	s := newSlowServer(t)
	resp, body := s.do(&http.Client{Timeout: 5 * time.Second}, "/slowtest", "")
	if resp.StatusCode != 200 || body != "" || !s.running.Load() {
		t.Fatalf("want an empty 200 while the command runs (running %v), got %d %q", s.running.Load(), resp.StatusCode, body)
	}
	s.finish()
	if posts := s.slack.wait("response", 1); !strings.Contains(string(posts[0].Body), "finally done") {
		t.Fatalf("response_url got %s", posts[0].Body)
	}
}

// The server reads no further request on a connection while a handler
// runs, so a late acknowledgement closes its connection: the next command
// from the same client must not wait behind the slow one. That next
// command may itself outrun the 50 ms budget on a loaded machine; then it
// is acknowledged empty and answered through response_url, which is as
// good, as long as the answer reaches the person exactly once.
func TestSlowCommandDoesNotHoldItsConnection(t *testing.T) {
	s := newSlowServer(t)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	if resp, _ := s.do(client, "/slowtest", ""); !resp.Close {
		t.Fatal("a late acknowledgement must close its connection")
	}
	start := time.Now()
	resp, body := s.do(client, "/business", "register Quick Ltd")
	took := time.Since(start)
	if resp.StatusCode != 200 || !s.running.Load() {
		t.Fatalf("a second command must be answered while the slow one runs (running %v): %d %s", s.running.Load(), resp.StatusCode, body)
	}
	if took >= 3*time.Second {
		t.Fatalf("second command answered after %v, past Slack's 3 s", took)
	}
	// Let every answer out (Close waits for response_url posts), then count
	// where "Quick Ltd" was said: in the HTTP answer or by response_url.
	s.finish()
	s.a.Close()
	said := strings.Count(body, "Quick Ltd") // the answer's text and blocks each name it
	var posts []string
	for _, c := range s.slack.Calls("response") {
		if strings.Contains(string(c.Body), "Quick Ltd") {
			posts = append(posts, string(c.Body))
		}
	}
	switch {
	case said > 0 && len(posts) == 0: // answered within the budget
	case body == "" && len(posts) == 1: // acknowledged, answered later
	default:
		t.Fatalf("the answer must reach the person exactly once: HTTP body %q, response_url posts %q", body, posts)
	}
	if bs, err := s.h.Store.BusinessesOf(context.Background(), s.community(), s.identity("U1")); err != nil || len(bs) != 1 {
		t.Fatalf("want one business registered, got %v (%v)", bs, err)
	}
}

// An answer finished within Close's grace period is still posted, even
// though Close began while the command ran.
func TestSlowAnswerSurvivesShutdown(t *testing.T) {
	s := newSlowServer(t)
	s.do(&http.Client{Timeout: 5 * time.Second}, "/slowtest", "")
	closed := make(chan struct{})
	go func() { s.a.Close(); close(closed) }()
	for closing := false; !closing; time.Sleep(time.Millisecond) {
		s.a.mu.Lock()
		closing = s.a.closed
		s.a.mu.Unlock()
	}
	s.finish()
	if posts := s.slack.wait("response", 1); !strings.Contains(string(posts[0].Body), "finally done") {
		t.Fatalf("response_url got %s", posts[0].Body)
	}
	<-closed
}
