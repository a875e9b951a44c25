package slack

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecoders feeds arbitrary bytes to every payload decoder and checks
// that whatever they accept satisfies what the handlers rely on, and that
// rendering decoded text never lets a control sequence through.
func FuzzDecoders(f *testing.F) {
	f.Add([]byte(url.Values{"command": {"/pledge"}, "text": {`add "x <!channel>" theme:carbon share:yes`}, "team_id": {"T1"},
		"user_id": {"U1"}, "trigger_id": {"1.2.abc"}, "response_url": {"https://hooks.slack.com/commands/1"}}.Encode()))
	f.Add([]byte(`{"type":"block_actions","team":{"id":"T1"},"user":{"id":"U1"},"trigger_id":"t","response_url":"https://hooks.slack.com/x","actions":[{"action_id":"pb:0","type":"button","value":"pledge done 1"}]}`))
	f.Add([]byte(`{"type":"view_submission","team":{"id":"T1"},"user":{"id":"U1"},"view":{"callback_id":"pb:modal","private_metadata":"{\"c\":\"pledge\",\"s\":\"add\"}","state":{"values":{"text":{"text":{"type":"plain_text_input","value":"x"}}}}}}`))
	f.Add([]byte(`{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"type":"app_home_opened","user":"U1","tab":"home"}}`))
	f.Add([]byte(`{"type":"url_verification","challenge":"abc"}`))
	f.Add([]byte("command=%2F&team_id=&user_id=%00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if sc, err := ParseSlashCommand(data); err == nil {
			if !strings.HasPrefix(sc.Command, "/") || sc.TeamID == "" || sc.UserID == "" {
				t.Fatalf("accepted %+v", sc)
			}
			text, _ := stripShare(CommandText(sc.Text))
			if out := (renderer{team: sc.TeamID}).mrkdwn(text); strings.ContainsAny(out, "<>") {
				t.Fatalf("escaped text keeps a control character: %q", out)
			}
		}
		if cb, err := ParseInteraction(data); err == nil && (cb.Team.ID == "" || cb.User.ID == "") {
			t.Fatalf("accepted interaction without team or user: %+v", cb)
		}
		if e, err := ParseEvent(data); err == nil && e.Type == "event_callback" && (e.EventID == "" || e.TeamID == "") {
			t.Fatalf("accepted event without id: %+v", e)
		}
		if utf8.Valid(data) {
			for _, p := range splitText(escape(string(data)), 64) {
				if utf8.RuneCountInString(p) > 64 {
					t.Fatalf("part of %d runes", utf8.RuneCountInString(p))
				}
			}
		}
	})
}
