package main

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// erase-member says which businesses lost their last owner and what
// became of them.
func TestEraseReportNamesOwnerChanges(t *testing.T) {
	who := bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "U1"}
	next := bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "U2"}
	out := eraseReport(who, store.Erasure{Communities: []string{"c1"}, Owners: []store.OwnerChange{
		{Community: "c1", Business: 4, NewOwner: next}, {Community: "c1", Business: 7}}})
	for _, want := range []string{"Erased slack:T1:U1 from c1.", "#4", "slack:T1:U2", "longest-standing", "#7", "needs an owner", "/business show 7"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if got := eraseReport(who, store.Erasure{}); !strings.Contains(got, "not found") {
		t.Errorf("nobody erased: %s", got)
	}
}
