package store_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

func TestSlackInstallSaveReadDelete(t *testing.T) {
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	at := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	in := store.SlackInstall{Team: "T1", Enterprise: "E1", Token: "v1:sealed", Refresh: "v1:sealedr", BotUser: "UBOT",
		Scopes: "commands,chat:write", Installer: "U1", InstalledAt: at, ExpiresAt: at.Add(12 * time.Hour)}
	for range 2 { // a retry writes the same thing
		if err := s.SaveSlackInstall(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SlackInstall(ctx, "T1")
	if err != nil || got != in {
		t.Fatalf("read %+v, %v; want %+v", got, err, in)
	}
	// A reinstall without rotation drops the old refresh token and expiry.
	re := store.SlackInstall{Team: "T1", Token: "v1:new", BotUser: "UBOT", Scopes: "commands", Installer: "U2", InstalledAt: at.Add(time.Hour)}
	if err := s.SaveSlackInstall(ctx, re); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SlackInstall(ctx, "T1"); got != re {
		t.Fatalf("after reinstall %+v, want %+v", got, re)
	}
	s.SaveSlackInstall(ctx, store.SlackInstall{Team: "T0", Token: "v1:x", InstalledAt: at})
	list, err := s.SlackInstalls(ctx)
	if err != nil || len(list) != 2 || list[0].Team != "T0" || list[1].Team != "T1" {
		t.Fatalf("list %+v, %v", list, err)
	}
	for range 2 {
		if err := s.DeleteSlackInstall(ctx, "T1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SlackInstall(ctx, "T1"); !errors.Is(err, store.ErrNoInstall) {
		t.Fatalf("after delete: %v", err)
	}
	if n, _ := rdb.Exists(ctx, prefix+":slack:install:T1").Result(); n != 0 {
		t.Fatal("the hash is still there")
	}
	if list, _ := s.SlackInstalls(ctx); len(list) != 1 || list[0].Team != "T0" {
		t.Fatalf("list after delete %+v", list)
	}
	if err := s.SaveSlackInstall(ctx, store.SlackInstall{Team: "T2"}); err == nil {
		t.Fatal("an installation without a token was saved")
	}
}

// TestOAuthStateOnce: a state works once, even with two replicas taking it
// at the same moment, and not after it expires.
func TestOAuthStateOnce(t *testing.T) {
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	a, b := store.New(rdb, prefix), store.New(rdb, prefix)
	ctx := context.Background()
	if ok, err := a.PutOAuthState(ctx, "st1", 10*time.Minute); !ok || err != nil {
		t.Fatalf("put: %v %v", ok, err)
	}
	if ok, _ := b.PutOAuthState(ctx, "st1", 10*time.Minute); ok {
		t.Fatal("the same state was put twice")
	}
	if ttl := rdb.TTL(ctx, prefix+":slack:state:st1").Val(); ttl <= 9*time.Minute || ttl > 10*time.Minute {
		t.Fatalf("ttl %v, want about 10 minutes", ttl)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for _, s := range []*store.Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := s.TakeOAuthState(ctx, "st1"); err != nil {
				t.Error(err)
			} else if ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("the state was taken %d times, want 1", wins.Load())
	}
	if ok, _ := a.TakeOAuthState(ctx, "never-put"); ok {
		t.Fatal("an unknown state was taken")
	}
	a.PutOAuthState(ctx, "short", 50*time.Millisecond)
	time.Sleep(120 * time.Millisecond)
	if ok, _ := a.TakeOAuthState(ctx, "short"); ok {
		t.Fatal("an expired state was taken")
	}
}

// TestSlackRefreshLockAndSwap: one replica at a time holds a team's
// refresh lock, only its own mark frees it, and the refreshed tokens
// replace the stored ones only while the old token is still stored.
func TestSlackRefreshLockAndSwap(t *testing.T) {
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	a, b := store.New(rdb, prefix), store.New(rdb, prefix) // two replicas
	ctx := context.Background()
	at := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	in := store.SlackInstall{Team: "T1", Token: "v1:old", Refresh: "v1:oldr", BotUser: "UB", Scopes: "commands",
		InstalledAt: at, ExpiresAt: at.Add(12 * time.Hour)}
	if err := a.SaveSlackInstall(ctx, in); err != nil {
		t.Fatal(err)
	}
	if ok, err := a.LockSlackRefresh(ctx, "T1", "ma", time.Minute); !ok || err != nil {
		t.Fatalf("first lock: %v %v", ok, err)
	}
	if ok, _ := b.LockSlackRefresh(ctx, "T1", "mb", time.Minute); ok {
		t.Fatal("second replica took a held lock")
	}
	b.UnlockSlackRefresh(ctx, "T1", "mb") // not its lock: stays
	if ok, _ := b.LockSlackRefresh(ctx, "T1", "mb", time.Minute); ok {
		t.Fatal("another replica's mark freed the lock")
	}
	exp := at.Add(24 * time.Hour)
	for i, want := range []bool{true, false} { // a retry after success changes nothing
		ok, err := a.ReplaceSlackTokens(ctx, "T1", "v1:old", "v1:new", "v1:newr", exp)
		if ok != want || err != nil {
			t.Fatalf("replace %d: %v %v", i, ok, err)
		}
	}
	got, _ := b.SlackInstall(ctx, "T1")
	want := in
	want.Token, want.Refresh, want.ExpiresAt = "v1:new", "v1:newr", exp
	if got != want {
		t.Fatalf("after swap %+v, want %+v", got, want)
	}
	a.UnlockSlackRefresh(ctx, "T1", "ma")
	if ok, _ := b.LockSlackRefresh(ctx, "T1", "mb", time.Minute); !ok {
		t.Fatal("lock not freed by its holder")
	}
	// Uninstalled meanwhile: the refresh does not bring it back.
	a.DeleteSlackInstall(ctx, "T1")
	if ok, err := a.ReplaceSlackTokens(ctx, "T1", "v1:new", "v1:newer", "", exp); ok || err != nil {
		t.Fatalf("replace after uninstall: %v %v", ok, err)
	}
	if n := rdb.Exists(ctx, prefix+":slack:install:T1").Val(); n != 0 {
		t.Fatal("the refresh recreated an uninstalled workspace")
	}
}

// TestSlackUninstalledAndHeldNotices: an uninstall is remembered until
// the team installs again, and HeldNotices counts the community's unsent
// notices to that workspace only, across outbox pages (501 entries: two
// pages of 500 and 1).
func TestSlackUninstalledAndHeldNotices(t *testing.T) {
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	s := store.New(rdb, prefix)
	ctx := context.Background()
	in := store.SlackInstall{Team: "T1", Token: "v1:sealed", InstalledAt: time.Unix(1, 0)}
	s.SaveSlackInstall(ctx, in)
	for range 2 { // a retried delete is the same
		if err := s.DeleteSlackInstall(ctx, "T1"); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.SlackUninstalled(ctx); err != nil || len(got) != 1 || got[0] != "T1" {
		t.Fatalf("uninstalled %v %v", got, err)
	}
	// 400 notices to T1, 100 to T2 and one Discord one in community c1,
	// then 1 more to T1: 401 held for T1.
	var items []store.Outgoing
	add := func(n int, p bot.Platform, ws string) {
		for range n {
			items = append(items, store.Outgoing{Key: "k" + strconv.Itoa(len(items)),
				Notice: bot.Notice{Community: "c1", To: bot.Recipient{Platform: p, Workspace: ws, Channel: "C1"}, Reply: bot.Reply{Title: "N"}}})
		}
	}
	add(400, bot.Slack, "T1")
	add(100, bot.Slack, "T2")
	add(1, bot.Discord, "T1")
	add(1, bot.Slack, "T1")
	if k, err := s.Enqueue(ctx, "c1", "", 0, time.Hour, items); err != nil || k != 502 {
		t.Fatalf("enqueue %d %v", k, err)
	}
	if n, err := s.HeldNotices(ctx, "c1", bot.Slack, "T1"); err != nil || n != 401 {
		t.Fatalf("held for T1: %d %v", n, err)
	}
	if n, err := s.HeldNotices(ctx, "c2", bot.Slack, "T1"); err != nil || n != 0 {
		t.Fatalf("held in an empty community: %d %v", n, err)
	}
	s.SaveSlackInstall(ctx, in)
	if got, _ := s.SlackUninstalled(ctx); len(got) != 0 {
		t.Fatalf("still uninstalled after a reinstall: %v", got)
	}
}
