package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/pledgetest"
)

func TestFoldStats(t *testing.T) {
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	cfg := filepath.Join(t.TempDir(), "pledgebot.yaml")
	os.WriteFile(cfg, []byte("redis:\n  prefix: "+prefix+"\n"), 0o600)
	if os.Getenv("REDIS_CLUSTER_URL") == "" {
		t.Setenv("REDIS_URL", pledgetest.RedisURL())
	}
	ctx := context.Background()
	do := func(stdin string, args ...string) (string, int) {
		var out, errOut bytes.Buffer
		code := run(ctx, args, strings.NewReader(stdin), &out, &errOut)
		return out.String() + errOut.String(), code
	}
	if out, code := do("/business register Acme\n/pledge add \"Hire two\" theme:apprenticeships target:2\n",
		"console", "--config", cfg, "--user", "alice"); code != 0 {
		t.Fatalf("console: %s", out)
	}
	totals := prefix + ":{console-local}:totals"
	if n := rdb.HLen(ctx, totals).Val(); n != 0 {
		t.Fatalf("totals already hold %d fields: nothing to show", n)
	}
	out, code := do("", "fold-stats", "--config", cfg)
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
		if out, code := do("", append(args, "--config", cfg)...); code == 0 {
			t.Errorf("%v: exit 0, want an error:\n%s", args, out)
		}
	}
}
