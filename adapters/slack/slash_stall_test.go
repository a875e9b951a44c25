package slack

import (
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// A slash command that meets a stalled Redis: what does the person see, and
// how many pledges exist once Redis answers?
func TestSlashCommandDuringStall(t *testing.T) {
	h, redis := pledgetest.NewStalling(t, &config.Config{Themes: config.DefaultThemes})
	e := newEnvOn(t, h, func(o *Options) { o.Budget = 2500 * time.Millisecond })
	e.mustCommand("U1", "/business register Acme")
	redis.Stall(t, 4*time.Second)
	start := time.Now()
	code, a := e.command("U1", `/pledge add "Plant trees" theme:carbon target:40`)
	t.Logf("answered after %v: %d %s", time.Since(start), code, a)
	var posted string
	for deadline := time.Now().Add(12 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cs := e.slack.Calls("response"); len(cs) > 0 {
			posted = unescapeJSON(string(cs[0].Body))
			break
		}
	}
	t.Logf("posted to response_url: %s", posted)
	time.Sleep(3 * time.Second)
	n := len(e.pledges("U1"))
	t.Logf("pledges after Redis answers: %d", n)
	if n == 1 && (strings.Contains(a.String()+posted, "nothing was saved")) {
		t.Errorf("the person was told nothing was saved, but the pledge was saved")
	}
}
