package schedules

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// Nudges show a pledge's amounts in its own unit (200 of 800 kg CO2e),
// not its theme's figures with the pledge's unit (0.2 of 0.8 kg CO2e).
func TestNudgeInPledgeUnit(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-10-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Cut carbon" theme:carbon target:800 unit:kg due:2026-11-25`)
	e.MustDo("alice", "/pledge progress 1 200")
	e.at(t, "2026-11-24 10:00")
	e.run(t, JobNudges)
	sent := e.rec.take()
	if len(sent) == 0 {
		t.Fatal("no nudge")
	}
	if text := bot.PlainText(sent[0].Reply); !strings.Contains(text, "200 of 800 kg CO2e") {
		t.Errorf("nudge:\n%s", text)
	}
}

// The digest's "Progress logged" lines likewise.
func TestDigestProgressInPledgeUnit(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-17 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Cut carbon" theme:carbon target:800 unit:kg`)
	e.MustDo("alice", "/pledge progress 1 200")
	e.subscribeDigest(t)
	text := weeklyDigest(t, e, "2026-11-23 09:00")
	if !strings.Contains(text, "200 of 800 kg CO2e") {
		t.Errorf("digest:\n%s", text)
	}
}
