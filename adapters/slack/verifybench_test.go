package slack

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These time, in process, each step of a Slack request that slack-go could
// do instead of the adapter's own code (issue 19): the signature gate, the
// slash command form and the Events API envelope.

func benchCommandBody() []byte {
	return []byte(url.Values{"token": {"gIkuvaNzQIHg97ATvDxqgjtO"}, "team_id": {team}, "team_domain": {"bench"},
		"channel_id": {"C0BENCH"}, "channel_name": {"general"}, "user_id": {"U0BENCH"}, "user_name": {"bench"},
		"command": {"/pledge"}, "text": {`add "Hire local apprentice number 12" theme:apprenticeships target:2 due:2027-06-30`},
		"api_app_id": {"A0BENCH"}, "is_enterprise_install": {"false"}, "response_url": {"https://hooks.slack.com/commands/T0/1/x"},
		"trigger_id": {"13345224609.738474920.8088930838d88f008e0"}}.Encode())
}

// BenchmarkVerifySignature is the signed() gate on a slash command:
// headers, timestamp window, bounded read, HMAC.
func BenchmarkVerifySignature(b *testing.B) {
	a := New(Options{SigningSecret: secret})
	b.Cleanup(a.Close)
	h := a.signed(func(w http.ResponseWriter, r *http.Request, body []byte) {})
	body := benchCommandBody()
	for b.Loop() {
		ts := time.Now().Unix()
		r := httptest.NewRequest(http.MethodPost, "/slack/commands", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
		r.Header.Set("X-Slack-Signature", Sign(secret, ts, body))
		w := httptest.NewRecorder()
		h(w, r)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkParseSlashCommand decodes and checks a slash command's form.
func BenchmarkParseSlashCommand(b *testing.B) {
	body := benchCommandBody()
	for b.Loop() {
		if _, err := ParseSlashCommand(body); err != nil {
			b.Fatal(err)
		}
	}
}

// benchHomeEvent is an app_home_opened delivery as Slack sends it once a
// Home tab has been published: the event carries the current view.
func benchHomeEvent() []byte {
	var blocks []string
	for i := range 12 {
		blocks = append(blocks, `{"type":"section","block_id":"b`+strconv.Itoa(i)+`","text":{"type":"mrkdwn","text":"*#`+strconv.Itoa(i)+` Hire local apprentices* — 1 of 2 people, due 30 Jun 2027","verbatim":false}}`,
			`{"type":"context","block_id":"c`+strconv.Itoa(i)+`","elements":[{"type":"mrkdwn","text":"apprenticeships · public","verbatim":false}]}`)
	}
	view := `{"id":"V0BENCH","team_id":"` + team + `","type":"home","blocks":[` + strings.Join(blocks, ",") + `],"private_metadata":"","callback_id":"",` +
		`"state":{"values":{}},"hash":"1631542335.2GdhQWKL","title":{"type":"plain_text","text":"View Title","emoji":true},"clear_on_close":false,` +
		`"notify_on_close":false,"close":null,"submit":null,"previous_view_id":null,"root_view_id":"V0BENCH","app_id":"A0BENCH","external_id":"",` +
		`"app_installed_team_id":"` + team + `","bot_id":"B0BENCH"}`
	return []byte(`{"token":"gIkuvaNzQIHg97ATvDxqgjtO","team_id":"` + team + `","api_app_id":"A0BENCH","event":{"type":"app_home_opened","user":"U0BENCH",` +
		`"channel":"D0BENCH","tab":"home","view":` + view + `,"event_ts":"1631542337.002800"},"type":"event_callback","event_id":"Ev0BENCH",` +
		`"event_time":1631542337,"authorizations":[{"enterprise_id":null,"team_id":"` + team + `","user_id":"U0BOT","is_bot":true,"is_enterprise_install":false}],` +
		`"is_ext_shared_channel":false}`)
}

// BenchmarkParseEvent decodes an Events API delivery.
func BenchmarkParseEvent(b *testing.B) {
	body := benchHomeEvent()
	for b.Loop() {
		e, err := ParseEvent(body)
		if err != nil || e.Event.Tab != "home" || e.EventID != "Ev0BENCH" {
			b.Fatal(err, e)
		}
	}
}
