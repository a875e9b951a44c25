package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestRebuildFigures(t *testing.T) {
	cfg, rdb, prefix := cliRedis(t)
	ctx := context.Background()
	if out, code := runCLI("/business register Acme\n/pledge add \"Hire two\" theme:apprenticeships target:2\n",
		"console", "--config", cfg, "--user", "alice"); code != 0 {
		t.Fatalf("console: %s", out)
	}
	sums := prefix + ":{console-local}:sums:" + time.Now().UTC().Format("2006-01")
	rdb.Del(ctx, sums)
	out, code := runCLI("", "rebuild-figures", "--config", cfg)
	if code != 0 || !strings.Contains(out, "console-local: figures rebuilt") {
		t.Fatalf("rebuild-figures (%d):\n%s", code, out)
	}
	// (sums name a theme by its slot: store/lua/figures.lua, sums_read)
	slot := rdb.HGet(ctx, prefix+":{console-local}:theme-slots", "apprenticeships").Val()
	if got := rdb.HGet(ctx, sums, "c:#"+slot).Val(); slot == "" || got != "2" {
		t.Errorf("after rebuild-figures c:apprenticeships (slot %q) = %q, want 2", slot, got)
	}
	if out, code := runCLI("", "rebuild-figures", "--config", cfg, "--community", "console-local"); code != 0 || !strings.Contains(out, "console-local: figures rebuilt") {
		t.Errorf("rebuild-figures --community (%d):\n%s", code, out)
	}
	// A need met (2 of 2) whose met_at is lost is dated again.
	if out, code := runCLI("/partner register Food Bank\n/need post Hires theme:apprenticeships target:2\n"+
		"/pledge add \"Hire\" theme:apprenticeships target:2 need:1\n/pledge progress 2 2\n",
		"console", "--config", cfg, "--user", "alice"); code != 0 {
		t.Fatalf("console: %s", out)
	}
	need := prefix + ":{console-local}:need:1"
	metAt := rdb.HGet(ctx, need, "met_at").Val()
	rdb.HDel(ctx, need, "met_at")
	if out, code := runCLI("", "rebuild-figures", "--config", cfg); code != 0 || !strings.Contains(out, "console-local: figures rebuilt, 1 met needs dated") {
		t.Errorf("rebuild-figures with a met need undated (%d):\n%s", code, out)
	}
	if got := rdb.HGet(ctx, need, "met_at").Val(); metAt == "" || got != metAt {
		t.Errorf("met_at after rebuild-figures = %q, want %q as first kept", got, metAt)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"rebuild-figures", "now", "--config", cfg}, `unexpected "now"`},
		{[]string{"rebuild-figures", "--community", "a b", "--config", cfg}, "use letters, digits"},
		{[]string{"rebuild-figures", "--community", "elsewhere", "--config", cfg}, `no community "elsewhere" under redis prefix`},
	} {
		if out, code := runCLI("", tc.args...); code == 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, want an error saying %q:\n%s", tc.args, code, tc.want, out)
		}
	}
	// Without Redis settings there is nothing real to rebuild.
	t.Setenv("REDIS_URL", "")
	t.Setenv("REDIS_CLUSTER_URL", "")
	if out, code := runCLI("", "rebuild-figures"); code == 0 || !strings.Contains(out, "needs REDIS_URL") {
		t.Errorf("rebuild-figures on the embedded store: exit %d:\n%s", code, out)
	}
}
