package main

import (
	"context"
	"strings"
	"testing"
)

func TestFoldStats(t *testing.T) {
	cfg, rdb, prefix := cliRedis(t)
	ctx := context.Background()
	if out, code := runCLI("/business register Acme\n/pledge add \"Hire two\" theme:apprenticeships target:2\n",
		"console", "--config", cfg, "--user", "alice"); code != 0 {
		t.Fatalf("console: %s", out)
	}
	totals := prefix + ":{console-local}:totals"
	if n := rdb.HLen(ctx, totals).Val(); n != 0 {
		t.Fatalf("totals already hold %d fields: nothing to show", n)
	}
	out, code := runCLI("", "fold-stats", "--config", cfg)
	if code != 0 || !strings.Contains(out, "console-local: counters up to date") {
		t.Fatalf("fold-stats (%d):\n%s", code, out)
	}
	if got := rdb.HGet(ctx, totals, "pledges:apprenticeships").Val(); got != "1" {
		t.Errorf("after fold-stats pledges:apprenticeships = %q, want 1", got)
	}
	if out, code := runCLI("", "fold-stats", "--config", cfg, "--community", "console-local"); code != 0 || !strings.Contains(out, "console-local: counters up to date") {
		t.Errorf("fold-stats --community (%d):\n%s", code, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"fold-stats", "now", "--config", cfg}, `unexpected "now"`},
		{[]string{"fold-stats", "--community", "a b", "--config", cfg}, "use letters, digits"},
		{[]string{"fold-stats", "--community", "elsewhere", "--config", cfg}, `no community "elsewhere" under redis prefix`},
	} {
		if out, code := runCLI("", tc.args...); code == 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, want an error saying %q:\n%s", tc.args, code, tc.want, out)
		}
	}
	// Without Redis settings there is nothing real to fold.
	t.Setenv("REDIS_URL", "")
	t.Setenv("REDIS_CLUSTER_URL", "")
	if out, code := runCLI("", "fold-stats"); code == 0 || !strings.Contains(out, "needs REDIS_URL") {
		t.Errorf("fold-stats on the embedded store: exit %d:\n%s", code, out)
	}
}
