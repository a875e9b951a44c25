package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestAddPledgeCallArgv checks that each field of addPledgeCall lands in
// the position lua/add_pledge.lua's header gives it, by the header's own
// words, so the struct, argv and the header cannot drift apart.
func TestAddPledgeCallArgv(t *testing.T) {
	due := time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)
	call := addPledgeCall{
		Actor: bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "ann"}, Admin: true},
		Req:   "",
		Pledge: bot.NewPledge{Business: 3, Text: "Plant trees", Theme: "trees", Target: 12.5, Unit: "oaks",
			Factor: 2, Measure: bot.MeasureRate, Due: due, Visibility: "private", Partner: 4, Need: 5},
		Now: time.Unix(1800000000, 0),
	}
	// Worked by hand: the due date's score is 2027-06-30 00:00 UTC in
	// unix seconds, 57 years of days from 1970 (14 of them leap years:
	// 1972..2024) plus January to June of 2027: (57*365 + 14 + 180) * 86400.
	wantScore := int64((57*365 + 14 + 180) * 86400)
	want := []struct {
		pos    int
		header string // how the header's line for the position starts
		value  string
	}{
		{1, "actor", "console:local:ann"},
		{2, "cfgadmin", "1"},
		{3, "req", ""},
		{4, "business", "3"},
		{5, "text", "Plant trees"},
		{6, "theme", "trees"},
		{7, "target", "12.5"},
		{8, "unit", "oaks"},
		{9, "due", "2027-06-30"},
		{10, "due score", fmt.Sprint(wantScore)},
		{11, "visibility", "private"},
		{12, "now", "1800000000"},
		{13, "(optional) factor", "2"},
		{14, "(optional) measure", "rate"},
		{15, "(optional) partner", "4"},
		{16, "(optional) need", "5"},
	}
	src, err := luaFiles.ReadFile("lua/add_pledge.lua")
	if err != nil {
		t.Fatal(err)
	}
	header := map[int]string{}
	for _, l := range strings.Split(string(src), "\n") {
		var n int
		var rest string
		if _, err := fmt.Sscanf(l, "-- ARGV[%d]:", &n); err == nil {
			_, rest, _ = strings.Cut(l, ": ")
			header[n] = rest
		}
	}
	argv := call.argv()
	if len(argv) != len(want) || len(header) != len(want) {
		t.Fatalf("argv has %d values and the header %d positions, want %d", len(argv), len(header), len(want))
	}
	for _, w := range want {
		if !strings.HasPrefix(header[w.pos], w.header) {
			t.Errorf("header ARGV[%d] = %q, want it to start %q", w.pos, header[w.pos], w.header)
		}
		if got := fmt.Sprint(argv[w.pos-1]); got != w.value {
			t.Errorf("argv ARGV[%d] (%s) = %q, want %q", w.pos, w.header, got, w.value)
		}
	}
}
