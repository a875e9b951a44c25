package commands_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/pledgebot/pledgebot/pledgetest"
)

func TestParseSnooze(t *testing.T) {
	now := time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in, want string // want "" means refused
	}{
		{"7d", "2026-02-07"},
		{"1d", "2026-02-01"},
		{"2w", "2026-02-14"},
		{"1m", "2026-03-03"}, // Go's AddDate normalises 31 February
		{"3 days", "2026-02-03"},
		{"1 week", "2026-02-07"},
		{"2 Months", "2026-03-31"},
		{"12m", "2027-01-31"},
		{"366d", "2027-02-01"},
		{"0d", ""},
		{"13m", ""},
		{"400d", ""},
		{"7", ""},
		{"d", ""},
		{"-7d", ""},
		{"7 d ays", ""},
		{"1y", ""},
		{"", ""},
		{"9999d", ""},
	} {
		got, err := commands.ParseSnooze(tc.in, now)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%q: accepted as %s", tc.in, got)
		case tc.want == "" && bot.ErrorCode(err) != bot.Invalid:
			t.Errorf("%q: refused with %v, want an invalid-input message", tc.in, err)
		case tc.want != "" && (err != nil || got.Format(time.DateOnly) != tc.want):
			t.Errorf("%q: got %s %v, want %s", tc.in, got.Format(time.DateOnly), err, tc.want)
		}
	}
}

func FuzzParseSnooze(f *testing.F) {
	for _, s := range []string{"7d", "2w", "1m", "3 days", "0d", "999m", "\x00", "7d\n", "１d"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		until, err := commands.ParseSnooze(s, now)
		if err != nil {
			if bot.ErrorCode(err) != bot.Invalid {
				t.Fatalf("%q: %v is not an invalid-input refusal", s, err)
			}
			return
		}
		if !until.After(now) || until.After(now.AddDate(1, 0, 1)) {
			t.Fatalf("%q: snooze until %s is outside a day to a year", s, until)
		}
	})
}

// Who may use /digest and /nudges.
func TestSchedulePermissions(t *testing.T) {
	h := pledgetest.New(t)
	h.Bot.Register(commands.Nudges(nil), commands.Digest(nil))
	coord := bot.Identity{Platform: bot.Console, Workspace: "local", User: "coord"}
	council := bot.Identity{Platform: bot.Console, Workspace: "local", User: "cllr"}
	base := h.Prefix + ":{" + h.Community() + "}:"
	h.Redis.SAdd(t.Context(), base+"role:coordinator", coord.Key())
	h.Redis.SAdd(t.Context(), base+"role:council", council.Key())
	h.MustDo("owner", "/business register Acme")
	for _, tc := range []struct {
		user, line string
		want       bot.Code // "" allowed
	}{
		{"member", "/digest subscribe", bot.Forbidden},
		{"owner", "/digest subscribe", bot.Forbidden},
		{"cllr", "/digest subscribe", bot.Forbidden},
		{"coord", "/digest subscribe", ""},
		{"admin", "/digest unsubscribe", ""},
		{"member", "/digest preview", bot.Forbidden},
		{"coord", "/digest preview", bot.Unavailable}, // no scheduler in this harness
		{"member", "/nudges off", ""},
		{"member", "/nudges on", ""},
		{"member", "/nudges pause until:2026-12-01", ""},
		{"member", "/nudges pause", bot.Invalid},
		{"member", "/nudges pause until:2030-01-01", bot.Invalid},
		{"member", "/nudges sideways", bot.Invalid},
	} {
		r := h.Reply(tc.user, tc.line)
		switch {
		case tc.want == "" && r.Err != nil:
			t.Errorf("%s %s: refused: %s", tc.user, tc.line, r.Err.Message)
		case tc.want != "" && (r.Err == nil || r.Err.Code != tc.want):
			t.Errorf("%s %s: got %+v, want %s", tc.user, tc.line, r.Err, tc.want)
		}
	}
	if help := h.MustDo("member", "/help pledge"); !strings.Contains(help, "/pledge snooze PLEDGE DURATION") {
		t.Errorf("help lacks snooze:\n%s", help)
	}
}
