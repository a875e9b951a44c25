package report_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// chromium finds the browser, skipping the test where it is absent unless
// on CI (CI=true), where a missing browser is a failure: .ci/run installs it.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (CI=true): .ci/run should have installed it")
	}
	t.Skip("chromium is not installed; apt-get install -y chromium")
	return ""
}

// TestReportPageInChromium loads the page in headless Chromium, with every
// background network feature off, and checks the rendered DOM has the chart
// and the pledge table.
func TestReportPageInChromium(t *testing.T) {
	bin := chromium(t)
	h, srv := network(t, nil)
	u := link(t, h, srv, "/summary link")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--disable-dev-shm-usage", "--user-data-dir="+t.TempDir(), "--dump-dom", u)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	dom := string(out)
	for _, want := range []string{
		`<svg id="chart"`, `<rect class="committed"`, `<rect class="delivered"`,
		`<table id="pledges">`, `<tr class="pledge">`, "Buy flour locally", "Hire two &lt;b&gt;apprentices&lt;/b&gt;",
		`<section class="totals" id="totals">`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q:\n%s", want, dom)
		}
	}
	if strings.Contains(dom, privateText) {
		t.Errorf("rendered DOM shows private text")
	}
	// Both themes with a commitment drew a non-empty committed bar.
	if n := strings.Count(dom, `<rect class="committed"`); n < 3 {
		t.Errorf("chart has %d committed bars, want 3", n)
	}
}
