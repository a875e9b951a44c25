package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

// Erasing a Slack person forgets that they installed the app in their
// workspace (the installation's installer, outside every community),
// whether or not any community knew them; the installation itself, and
// another workspace's or person's, stay.
func TestEraseForgetsTheInstaller(t *testing.T) {
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	at := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	for _, in := range []store.SlackInstall{
		{Team: "T1", Token: "v1:a", Installer: "U1", InstalledAt: at},
		{Team: "T2", Token: "v1:b", Installer: "U1", InstalledAt: at}, // another workspace's U1 is another person
		{Team: "T3", Token: "v1:c", Installer: "U9", InstalledAt: at},
	} {
		if err := s.SaveSlackInstall(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 { // erasure run again finishes, and changes nothing more
		if _, err := s.Erase(ctx, "console:local:op", bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "U1"}); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{"T1": "", "T2": "U1", "T3": "U9"}
	for team, installer := range want {
		in, err := s.SlackInstall(ctx, team)
		if err != nil || in.Installer != installer || in.Token == "" {
			t.Errorf("%s after erasing slack:T1:U1: installer %q, token %q, %v; want installer %q and the token kept", team, in.Installer, in.Token, err, installer)
		}
	}
	if v, _ := rdb.HExists(ctx, prefix+":slack:install:T1", "installer").Result(); v {
		t.Error("the erased installer's field is still stored")
	}
}
