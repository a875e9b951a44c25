// Package hostiledigest builds the weekly digest of a harness loaded with
// pledgetest's hostile text, for the adapters' escaping tests. It lives
// apart from pledgetest because schedules' own tests import pledgetest.
package hostiledigest

import (
	"context"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/schedules"
)

// Reply is the digest preview of h's community a day after its clock,
// checked to show the hostile text.
func Reply(h *pledgetest.Harness) bot.Reply {
	h.T.Helper()
	sched, err := schedules.New(schedules.Options{Store: h.Store, Bot: h.Bot, Now: h.Clock.Now, Consumer: "hostile"})
	if err != nil {
		h.T.Fatal(err)
	}
	digest, err := sched.Preview(context.Background(), h.Community(), h.Clock.Now().AddDate(0, 0, 1))
	if err != nil {
		h.T.Fatal(err)
	}
	if !strings.Contains(bot.PlainText(digest), "[a](https://evil.example)") {
		h.T.Fatalf("the digest shows no hostile text:\n%s", bot.PlainText(digest))
	}
	return digest
}
