package slack

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestURLVerification(t *testing.T) {
	e := newEnv(t)
	w := e.event(`{"type":"url_verification","token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}`)
	var got map[string]string
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &got) != nil || got["challenge"] != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("challenge: %d %s", w.Code, w.Body)
	}
}

func homeEvent(id, user string) string {
	return `{"type":"event_callback","team_id":"` + team + `","event_id":"` + id + `","event":{"type":"app_home_opened","user":"` + user + `","tab":"home"}}`
}

func TestAppHomeOncePerEventID(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme & Sons")
	e.mustCommand("U1", `/pledge add "Hire two apprentices" theme:apprenticeships target:2 due:2027-06-30`)
	e.mustCommand("U1", `/pledge add "Buy local" theme:buy-local target:20k due:2027-01-31`)
	e.mustCommand("U1", `/pledge progress 1 1 "first one started"`)
	if w := e.event(homeEvent("Ev1", "U1")); w.Code != 200 {
		t.Fatalf("event: %d %s", w.Code, w.Body)
	}
	// Slack retries the same event: acknowledged, not acted on again.
	for i := 0; i < 2; i++ {
		if w := e.event(homeEvent("Ev1", "U1")); w.Code != 200 {
			t.Fatalf("retry: %d", w.Code)
		}
	}
	e.a.Close() // wait for background work
	calls := e.slack.Calls("views.publish")
	if len(calls) != 1 {
		t.Fatalf("views.publish called %d times for one event_id", len(calls))
	}
	body := unescapeJSON(string(calls[0].Body))
	for _, want := range []string{`"user_id":"U1"`, `"type":"home"`, "#1 Acme &amp; Sons", "Hire two apprentices",
		"█", "50%", "Due next", "31 Jan 2027: #2 Buy local", `"value":"pledge progress 1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Home tab lacks %q: %s", want, body)
		}
	}
	if strings.Index(body, "31 Jan 2027") > strings.Index(body, "30 Jun 2027") {
		t.Errorf("due next is not in date order: %s", body)
	}
}

func TestAppHomeWithoutBusiness(t *testing.T) {
	e := newEnv(t)
	e.event(homeEvent("Ev2", "U5"))
	calls := e.slack.wait("views.publish", 1)
	if !strings.Contains(string(calls[0].Body), "/business register NAME") {
		t.Fatalf("welcome: %s", calls[0].Body)
	}
}

// The event is acknowledged before the tab is published, so Slack cannot
// retry a failed publish; the adapter does, a few times, since views.publish
// replaces the whole tab.
func TestAppHomePublishRetriesServerErrors(t *testing.T) {
	e := homeWithBrokenSlack(t, 2)
	if calls := e.slack.Calls("views.publish"); len(calls) != 1 {
		t.Fatalf("want the third try to publish the tab, got %d publishes", len(calls))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.slept) != 2 {
		t.Fatalf("want two pauses between tries, slept %v", e.slept)
	}
}

func TestAppHomePublishGivesUp(t *testing.T) {
	e := homeWithBrokenSlack(t, 10)
	e.slack.mu.Lock()
	defer e.slack.mu.Unlock()
	if left := e.slack.broken["views.publish"]; left != 10-publishTries {
		t.Fatalf("want %d tries, made %d", publishTries, 10-left)
	}
}

// homeWithBrokenSlack opens the Home tab once while views.publish fails
// its first failures times, and waits for the adapter to finish.
func homeWithBrokenSlack(t *testing.T, failures int) *env {
	e := newEnv(t)
	e.slack.mu.Lock()
	e.slack.broken["views.publish"] = failures
	e.slack.mu.Unlock()
	e.event(homeEvent("Ev4", "U5"))
	e.a.Close()
	return e
}

func TestEventStoreDownIsRetried(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Once = failingOnce{} })
	if w := e.event(homeEvent("Ev3", "U1")); w.Code != 503 {
		t.Fatalf("status %d, want 503 so that Slack retries", w.Code)
	}
}
