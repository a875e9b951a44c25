package commands_test

import (
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// TestDatesAsPeopleWriteThem: every date option reads the forms people
// type, and the reply echoes the day understood. The harness's clock
// starts on Tuesday 24 November 2026.
func TestDatesAsPeopleWriteThem(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register "Acme Bakery"`)
	contains(t, h.MustDo("alice", `/pledge add "Plant trees" theme:carbon due:next friday`), "due Fri 27 Nov 2026")
	contains(t, h.MustDo("alice", `/pledge add theme:carbon due:31 March 2027 Litter picks`), "#2 Litter picks", "due Wed 31 Mar 2027")
	contains(t, h.MustDo("alice", `/pledge add "Food bank" theme:volunteering due:31/03/2027`), "due Wed 31 Mar 2027")
	contains(t, h.MustFail("alice", `/pledge add "x" theme:carbon due:03/31/2027`, bot.Invalid),
		`due: "03/31/2027" looks like month first (US style); write the day first, like 31/3/2027, or the month in words, like 31 March 2027`)
	contains(t, h.MustFail("alice", `/pledge add "x" theme:carbon due:yesterday`, bot.Invalid),
		"due: Mon 23 Nov 2026 is in the past; give a date from today (Tue 24 Nov 2026) on")
	contains(t, h.MustDo("alice", `/pledge edit 1 due:end of quarter`), "due Thu 31 Dec 2026")
	h.MustDo("alice", `/pledge done 1`)
	contains(t, h.MustDo("alice", `/pledge reopen 1 due:in 2 weeks`), "due Tue 8 Dec 2026")
	contains(t, h.MustDo("alice", `/s172 log "New supplier" business:1 a:"long-term cost" date:yesterday review:end of next quarter`),
		"Mon 23 Nov 2026", "review Wed 31 Mar 2027")
	contains(t, h.MustFail("alice", `/s172 log "Later" business:1 a:"x" date:tomorrow`, bot.Invalid), "date: Wed 25 Nov 2026 is in the future")
}

// TestDatesReadInTheCommunitysZone: half past midnight on the first day of
// British Summer Time is still the day before in UTC; "today" is the
// community's day.
func TestDatesReadInTheCommunitysZone(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register "Acme Bakery"`)
	h.Clock.Set(time.Date(2027, 3, 28, 23, 30, 0, 0, time.UTC)) // 00:30 BST on Monday 29 March
	contains(t, h.MustDo("alice", `/pledge add "x" theme:carbon due:today`), "due Mon 29 Mar 2027")
	contains(t, h.MustDo("alice", `/pledge add "y" theme:carbon due:tomorrow`), "due Tue 30 Mar 2027")
	h.Clock.Set(time.Date(2027, 10, 30, 23, 30, 0, 0, time.UTC)) // 00:30 BST on Sunday 31 October, the night clocks go back
	contains(t, h.MustDo("alice", `/pledge add "z" theme:carbon due:tomorrow`), "due Mon 1 Nov 2027")
}
