package bot

import (
	"strings"
	"testing"
)

// TestPledgeItemDeclaresSnooze: an active pledge's item declares "Snooze a
// week" beside "Mark done" when the bot has /pledge snooze, and not
// otherwise; a closed pledge offers no buttons. Adapters add none.
func TestPledgeItemDeclaresSnooze(t *testing.T) {
	commands := func(it Item) string {
		var cs []string
		for _, a := range it.Actions {
			cs = append(cs, a.Command)
		}
		return strings.Join(cs, ",")
	}
	p := Pledge{Number: 7, Text: "Plant trees", Theme: "carbon", Status: StatusActive}
	b := New(Options{})
	b.Register(&Command{Name: "pledge", Subs: []*Subcommand{{Name: "done"}}})
	if got := commands(b.PledgeItem("c", p)); got != "pledge progress 7,pledge done 7" {
		t.Errorf("without snooze: %s", got)
	}
	b = New(Options{})
	b.Register(&Command{Name: "pledge", Subs: []*Subcommand{{Name: "done"}, {Name: "snooze"}}})
	it := b.PledgeItem("c", p)
	if got := commands(it); got != "pledge progress 7,pledge done 7,pledge snooze 7 7d" || it.Ref != "#7" {
		t.Errorf("with snooze: %s (ref %q)", got, it.Ref)
	}
	p.Status = StatusDone
	if got := commands(b.PledgeItem("c", p)); got != "" {
		t.Errorf("done pledge: %s", got)
	}
}
