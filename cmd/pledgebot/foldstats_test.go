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
	for _, args := range [][]string{
		{"fold-stats", "now"},
		{"fold-stats", "--community", "a b"},
	} {
		if out, code := runCLI("", append(args, "--config", cfg)...); code == 0 {
			t.Errorf("%v: exit 0, want an error:\n%s", args, out)
		}
	}
}
