package slack

import (
	"context"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// Redis busy with a slow script for 3.5 s (as in a real stall, commands
// already sent are run when it is free, even from a client that gave up).
func TestSlashCommandDuringBusyScript(t *testing.T) {
	h, srv := pledgetest.NewStalling(t, &config.Config{Themes: config.DefaultThemes})
	e := newEnvOn(t, h, func(o *Options) { o.Budget = 2500 * time.Millisecond })
	e.mustCommand("U1", "/business register Acme")
	rdb := goredis.NewClient(&goredis.Options{Addr: srv.Addr(), DisableIdentity: true, ReadTimeout: -1})
	defer rdb.Close()
	go rdb.Eval(context.Background(), `local t=redis.call('TIME'); local s=t[1]*1000+t[2]/1000; repeat t=redis.call('TIME') until t[1]*1000+t[2]/1000-s > 3500; return 1`, nil)
	time.Sleep(100 * time.Millisecond)
	_, a := e.command("U1", `/pledge add "Plant trees" theme:carbon target:40`)
	var posted string
	for deadline := time.Now().Add(12 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cs := e.slack.Calls("response"); len(cs) > 0 {
			posted = unescapeJSON(string(cs[0].Body))
			break
		}
	}
	time.Sleep(2 * time.Second)
	n := len(e.pledges("U1"))
	t.Logf("answer %s; posted %s; pledges %d", a, posted, n)
	if n > 0 && strings.Contains(a.String()+posted, "nothing was saved") {
		t.Errorf("told nothing was saved, but %d pledge(s) saved", n)
	}
}
