package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// TestConsoleSummaryExport runs the console on the embedded store: the
// export lands in exports/ under the working directory and its absolute
// path is printed.
func TestConsoleSummaryExport(t *testing.T) {
	t.Setenv("REDIS_URL", "") // never the developer's Redis or a cluster
	t.Setenv("REDIS_CLUSTER_URL", "")
	dir := t.TempDir()
	t.Chdir(dir)
	in := strings.NewReader("/business register Acme postcode:CB1\n/pledge add \"Plant trees\" theme:carbon target:2\n/pledge progress 1 1\n/summary export format:csv\n")
	var out, errb strings.Builder
	if code := run(context.Background(), []string{"console", "--user", "admin"}, in, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	_, after, ok := strings.Cut(out.String(), "Saved to ")
	path, _, _ := strings.Cut(after, "\n")
	if !ok || !filepath.IsAbs(path) || filepath.Dir(path) != filepath.Join(dir, "exports") {
		t.Fatalf("no absolute export path in:\n%s", out.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][0] != "period" {
		t.Fatalf("export (%v):\n%s", err, data)
	}
	carbon := map[string]string{}
	for i, c := range rows[0] {
		carbon[c] = rows[1][i]
	}
	// 1 of 2 tonnes logged; the percentage is delivered to date (filled by
	// the store) of committed, by bot.RoundPercent.
	toDate, _ := strconv.ParseFloat(carbon["delivered_to_date"], 64)
	wantPct := ""
	if p, ok := bot.RoundPercent(toDate, 2); ok {
		wantPct = strconv.Itoa(p)
	}
	if carbon["theme"] != "carbon" || carbon["unit"] != "tonnes CO2e" || carbon["made"] != "1" || carbon["active"] != "1" ||
		carbon["committed"] != "2" || carbon["delivered"] != "1" || carbon["delivered_pct"] != wantPct {
		t.Errorf("export:\n%s", data)
	}
}

// TestServeMountsReports checks the report page is mounted on serve, on
// the embedded store, and refuses requests without a valid token.
func TestServeMountsReports(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	t.Setenv("REDIS_CLUSTER_URL", "")
	t.Setenv("PLEDGEBOT_ADDR", "127.0.0.1:0")
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	admin := console.Identity("admin")
	a, err := openApp(context.Background(), cfg, io.Discard, 0, &admin)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ready) }()
	defer func() { cancel(); <-done }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	do := func(line string) string {
		name, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
		r := a.bot.Handle(context.Background(), bot.Request{From: admin, Command: name, Text: rest})
		if r.Err != nil {
			t.Fatalf("%s: %s", line, r.Err.Message)
		}
		return bot.PlainText(r)
	}
	do("/business register Acme")
	do(`/pledge add "Plant trees" theme:carbon target:2`)
	out := do("/summary link")
	var path string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "/reports/") {
			path = l
		}
	}
	client := &http.Client{Timeout: 10 * time.Second}
	for _, c := range []struct {
		path string
		code int
	}{{path, 200}, {"/reports/console-local", 403}, {"/reports/console-local?token=abc.def", 403}} {
		resp, err := client.Get("http://" + addr + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.code {
			t.Errorf("GET %s: %d, want %d: %s", c.path, resp.StatusCode, c.code, body)
		}
		if c.code == 200 && !strings.Contains(string(body), "Plant trees") {
			t.Errorf("page lacks the pledge")
		}
	}
}
