package slack

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/pledgetest"
)

// FuzzInteractionPayload runs hostile interaction payloads (button presses
// and modal submissions, with their private_metadata and input state)
// through the whole adapter path, past the decoder: no panic, and what it
// answers is a well-formed acknowledgement naming only real inputs.
func FuzzInteractionPayload(f *testing.F) {
	for _, seed := range []string{
		`{"type":"view_submission","team":{"id":"` + team + `"},"user":{"id":"U1"},"trigger_id":"t1","view":{"callback_id":"pb:modal","private_metadata":"{\"c\":\"pledge\",\"s\":\"add\",\"f\":{\"theme\":\"carbon\"}}","state":{"values":{"text":{"text":{"type":"plain_text_input","value":"plant <!channel> trees"}},"target":{"target":{"type":"plain_text_input","value":"1e309"}}}}}}`,
		`{"type":"view_submission","team":{"id":"` + team + `"},"user":{"id":"U1"},"view":{"callback_id":"pb:modal","private_metadata":"{\"c\":\"business\",\"s\":\"register\"}","state":{"values":{"name":{"name":{"type":"plain_text_input","value":"Acme"}}}}}}`,
		`{"type":"view_submission","team":{"id":"` + team + `"},"user":{"id":"U1"},"view":{"callback_id":"pb:modal","private_metadata":"{\"c\":\"pledge\",\"s\":\"progress\",\"f\":{\"pledge\":\"-1\"}}","state":{"values":{"amount":{"amount":{"type":"static_select","selected_option":{"value":"£x"}}}}}}}`,
		`{"type":"block_actions","team":{"id":"` + team + `"},"user":{"id":"U1"},"trigger_id":"t2","actions":[{"action_id":"pb:0","type":"button","value":"pledge progress 1"}]}`,
		`{"type":"block_actions","team":{"id":"` + team + `"},"user":{"id":"U1"},"actions":[{"action_id":"pb:1","type":"button","value":"business delete 1 confirm"},null]}`,
		`{"type":"view_submission","view":{"callback_id":"pb:modal","private_metadata":"null","state":null}}`,
	} {
		f.Add([]byte(seed))
	}
	h := pledgetest.New(f)
	fake := newFakeSlack(f)
	a := New(Options{Bot: h.Bot, Once: h.Store, SigningSecret: secret, BotToken: "xoxb-test",
		APIURL: fake.srv.URL + "/api/", Budget: 2 * time.Second})
	f.Cleanup(a.Close)
	f.Fuzz(func(t *testing.T, payload []byte) {
		cb, err := ParseInteraction(payload)
		if err != nil {
			return
		}
		var out any
		answers := 0
		a.Interaction(context.Background(), cb, func(resp any) { out = resp; answers++ })
		if answers != 1 {
			t.Fatalf("answered %d times", answers)
		}
		if out == nil {
			return
		}
		if _, err := json.Marshal(out); err != nil {
			t.Fatalf("answer does not encode: %v", err)
		}
		s, ok := out.(submission)
		if !ok {
			t.Fatalf("unexpected answer %T", out)
		}
		if s.Action == "errors" && len(s.Errors) == 0 {
			t.Fatal("errors answer without errors")
		}
	})
}
