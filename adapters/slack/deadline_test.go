package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// Slack shows an error on a modal not answered within 3 s, although the
// work may still succeed. With Redis stalled past that, the submission is
// answered within the budget ("saving"), the pledge is made once, and the
// person is told the outcome by message; pressing Save again (a new
// trigger id, the same view) does not make a second pledge.
func TestModalSubmissionAnsweredInTimeWhenRedisStalls(t *testing.T) {
	h, redis := pledgetest.NewStalling(t, &config.Config{Themes: config.DefaultThemes})
	e := newEnvOn(t, h, func(o *Options) { o.Budget = 2500 * time.Millisecond })
	e.mustCommand("U1", "/business register Acme")
	srv := httptest.NewServer(e.mux)
	t.Cleanup(srv.Close)
	press := func(trigger string) submitAnswer {
		p := submitPayload("U1", trigger, `{"c":"pledge","s":"add","ch":"C0CHAN"}`, map[string]map[string]any{
			"text": text("Plant trees"), "theme": choice("carbon"), "target": number("40")})
		p["view"].(map[string]any)["id"] = "V0FORM"
		return e.submitLive(srv, p)
	}

	redis.Stall(t, 4*time.Second)
	start := time.Now()
	a := press("s1")
	took := time.Since(start)
	t.Logf("submission answered after %v", took)
	if took >= 3*time.Second {
		t.Fatalf("submission answered after %v, past Slack's 3 s", took)
	}
	if view := unescapeJSON(string(a.View)); a.Action != "update" || !strings.Contains(view, "Saving") || strings.Contains(view, `"submit"`) {
		t.Fatalf("late submission: want the modal updated to say it is saving, with no Save button; got %s %v %s", a.Action, a.Errors, view)
	}

	// The outcome comes by direct message once Redis answers.
	var dm string
	for deadline := time.Now().Add(15 * time.Second); dm == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cs := e.slack.Calls("chat.postMessage"); len(cs) > 0 {
			dm = unescapeJSON(cs[0].Form.Get("blocks") + " | " + cs[0].Form.Get("text"))
		}
	}
	if !strings.Contains(dm, "Pledge #1 added for Acme") {
		t.Fatalf("the person was not told the outcome: %q", dm)
	}
	if cs := e.slack.Calls("conversations.open"); len(cs) != 1 || cs[0].Form.Get("users") != "U1" {
		t.Fatalf("outcome not sent to the person who submitted: %+v", cs)
	}

	a = press("s2")
	if view := unescapeJSON(string(a.View)); a.Action != "update" || !strings.Contains(view, "Pledge #1 added for Acme") {
		t.Fatalf("second press of Save: %s %v %s", a.Action, a.Errors, view)
	}
	if ps := e.pledges("U1"); len(ps) != 1 {
		t.Fatalf("%d pledges after two presses of one form, want 1", len(ps))
	}
}

// submitLive posts a signed submission over a real connection, as Slack
// does, and returns the answer as soon as it arrives, whatever the handler
// does after it.
func (e *env) submitLive(srv *httptest.Server, payload map[string]any) submitAnswer {
	e.t.Helper()
	js, err := json.Marshal(payload)
	if err != nil {
		e.t.Fatal(err)
	}
	body := url.Values{"payload": {string(js)}}.Encode()
	ts, sig := good(e.now.Unix(), []byte(body))
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/slack/interactions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	var a submitAnswer
	if resp.StatusCode != 200 || json.Unmarshal(out, &a) != nil {
		e.t.Fatalf("submission: status %d: %s", resp.StatusCode, out)
	}
	return a
}

// An Events API delivery is acknowledged within 3 s too. With Redis
// stalled, the event is refused in time (503), so that Slack delivers it
// again, rather than answered after Slack gave up on it.
func TestEventAnsweredInTimeWhenRedisStalls(t *testing.T) {
	h, redis := pledgetest.NewStalling(t, &config.Config{Themes: config.DefaultThemes})
	e := newEnvOn(t, h, func(o *Options) { o.Budget = 2500 * time.Millisecond })
	redis.Stall(t, 4*time.Second)
	start := time.Now()
	w := e.event(homeEvent("Ev1", "U1"))
	took := time.Since(start)
	t.Logf("event answered after %v", took)
	if took >= 3*time.Second {
		t.Fatalf("event answered after %v, past Slack's 3 s", took)
	}
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("event during a stall: %d %s, want 503 so that Slack tries again", w.Code, w.Body)
	}
}
