package report_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
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
	dom := dumpDOM(t, bin, link(t, h, srv, "/summary link"))
	for _, want := range []string{
		`<svg id="chart"`, `<rect class="committed"`, `<rect class="delivered"`,
		`<table id="pledges" class="reflow">`, `<tr class="pledge">`, "Buy flour locally", "Hire two &lt;b&gt;apprentices&lt;/b&gt;",
		`<section class="totals" id="totals">`,
		// delivered by who says so, confirmed first (nothing here names a
		// partner: all of it is self-reported)
		`<table id="vouched" class="reflow-wide">`,
		`<th class="n">Confirmed</th><th class="n">Awaiting confirmation</th><th class="n">Queried</th><th class="n">Self-reported</th>`,
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

// dumpDOM loads a page in headless Chromium and returns its DOM after
// scripts (none may run: the page's CSP allows none).
func dumpDOM(t *testing.T, bin, u string) string {
	t.Helper()
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
	return string(out)
}

// The partner's own words on a public pledge show as a case study
// (business, pledge, partner, outcome, date); a private pledge's outcome
// never shows; hostile text stays inert text: no element, no live link, no
// script run.
func TestCaseStudiesInChromium(t *testing.T) {
	bin := chromium(t)
	h, srv := network(t, nil)
	h.MustDo("fiona", "/partner register Riverside Food Bank")
	h.MustDo("baker", `/pledge add "Bake for the lunch club" theme:volunteering target:20 partner:1`)                        // #4
	h.MustDo("baker", `/pledge add "Quiet help for the food bank" theme:volunteering target:5 visibility:private partner:1`) // #5
	h.Clock.Set(time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC))
	hostile := `Forty lunches a week <script>document.title='pwned'</script> <img src=x onerror="document.title='pwned'"> <a href="https://x.test">click</a> <!channel> @everyone`
	h.MustDo("fiona", "/pledge outcome 4 "+hostile)
	h.MustDo("fiona", "/pledge outcome 5 Private words about the food bank")
	dom := dumpDOM(t, bin, link(t, h, srv, "/summary link"))
	_, cases, _ := strings.Cut(dom, `<section id="cases"`)
	cases, _, _ = strings.Cut(cases, "</section>")
	for _, want := range []string{
		"In the partners' own words", "Bakery: Bake for the lunch club", "Riverside Food Bank, 20 Oct 2026",
		"Forty lunches a week &lt;script&gt;", "&lt;a href=https://x.test&gt;click&lt;/a&gt; &lt;!channel&gt; @everyone", // (the parser takes the quotes)
	} {
		if !strings.Contains(cases, want) {
			t.Errorf("case studies lack %q:\n%s", want, cases)
		}
	}
	for _, bad := range []string{"Private words", "Quiet help", "<script", "<img", "<a ", "pwned</title>"} {
		if strings.Contains(dom, bad) {
			t.Errorf("rendered DOM holds %q", bad)
		}
	}
}

// axeSource is axe-core, vendored in testdata/axe (see its README.md).
func axeSource(t *testing.T) string {
	src, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is vendored in report/testdata/axe: %v", err)
	}
	return string(src)
}

// layout is what layoutScript measures in the page.
type layout struct {
	Viewport    float64            `json:"viewport"`
	ScrollWidth float64            `json:"scrollWidth"`
	Wide        []string           `json:"wide"`    // elements reaching past the viewport
	Clipped     []string           `json:"clipped"` // chart text outside the drawn chart
	ChartFontPx float64            `json:"chartFontPx"`
	Contrast    map[string]float64 `json:"contrast"` // bar fill against the page
	Main        int                `json:"main"`
	Title       string             `json:"title"`
	H1          string             `json:"h1"`
}

const layoutScript = `(() => {
  const vw = window.innerWidth, out = {viewport: vw, scrollWidth: document.documentElement.scrollWidth,
    wide: [], clipped: [], contrast: {}, main: document.querySelectorAll('main').length,
    title: document.title, h1: document.querySelector('h1').textContent.replace(/\s+/g, ' ').trim()};
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined && el.className ? '.' + el.className : '');
  const clippedInside = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const r = a.getBoundingClientRect();
      if (getComputedStyle(a).overflowX !== 'visible' && r.left >= -0.5 && r.right <= vw + 0.5) return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5) && !clippedInside(el)) out.wide.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  const svg = document.getElementById('chart');
  if (svg) {
    const s = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.left < s.left - 0.5 || r.right > s.right + 0.5 || r.top < s.top - 0.5 || r.bottom > s.bottom + 0.5)
        out.clipped.push(JSON.stringify(t.textContent) + ' at ' + [r.left, r.right, r.top, r.bottom].map(Math.round) + ' in ' + [s.left, s.right, s.top, s.bottom].map(Math.round));
    }
    const first = svg.querySelector('text');
    if (first) out.chartFontPx = parseFloat(getComputedStyle(first).fontSize) * s.width / svg.viewBox.baseVal.width;
    const lum = c => {
      const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    let bg = getComputedStyle(document.body).backgroundColor;
    if (bg === 'rgba(0, 0, 0, 0)') bg = 'rgb(255, 255, 255)';
    for (const cls of ['committed', 'delivered']) {
      const rect = svg.querySelector('rect.' + cls);
      if (!rect) continue;
      const [a, b] = [lum(getComputedStyle(rect).fill), lum(bg)].sort((x, y) => y - x);
      out.contrast[cls] = (a + 0.05) / (b + 0.05);
    }
  }
  return out;
})()`

const axeScript = `axe.run(document, {resultTypes: ['violations']}).then(r => ({
  version: axe.version,
  passes: r.passes.map(v => v.id),
  incomplete: r.incomplete.map(v => v.id + ' (' + v.nodes.length + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + ')'),
  violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))}))`

type axeResult struct {
	Version    string   `json:"version"`
	Passes     []string `json:"passes"`
	Incomplete []string `json:"incomplete"`
	Violations []struct {
		ID, Impact, Help string
		Nodes            []string
	} `json:"violations"`
}

// TestReportPageFitsAndPassesAxe loads the page in headless Chromium as a
// phone (390 px, honouring the viewport meta tag), as a desktop (1280 px)
// and with the print stylesheet at the width of A4 paper: nothing may reach past the viewport, no chart text may fall
// outside the chart, the bars must stand out from the page at 3:1 (WCAG
// 1.4.11), and axe-core must find no violation. With REPORT_SCREENSHOTS
// set to a folder it leaves screenshots of each width there (the whole
// page, and screen-high slices of it) and the page printed as report.pdf.
func TestReportPageFitsAndPassesAxe(t *testing.T) {
	bin := chromium(t)
	axe := axeSource(t)
	themes := append([]bot.Theme{}, config.DefaultThemes...)
	for i := range themes {
		if themes[i].Key == "volunteering" {
			themes[i].Proxy = &bot.Proxy{Per: 1, Value: 18.5, Source: "Test council social value framework", Year: 2026}
		}
	}
	cfg := &config.Config{Themes: themes, Communities: []config.Community{{
		ID: "kingsbridge", Name: "Kingsbridge & <Riverside> Business Network", Workspaces: []string{"console:local"}}}}
	h, srv := network(t, cfg)
	// Long amounts and names, and a long unbroken word in a pledge.
	h.MustDo("baker", `/pledge add "Mentor the Kingsbridge Riverside community-interest-company-of-the-year-award-winners" theme:expert-help target:123456`)
	h.MustDo("baker", "/pledge progress 4 98765")
	h.MustDo("baker", `/pledge add "Volunteer at the food bank" theme:volunteering target:1200`)
	h.MustDo("baker", "/pledge progress 5 1199")
	u := link(t, h, srv, "/summary link")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b := startBrowser(t, ctx, bin)
	shots := os.Getenv("REPORT_SCREENSHOTS")
	for _, vp := range []struct {
		name          string
		width, height int
		mobile        bool
		media         string
	}{
		{"phone", 390, 844, true, "screen"},
		{"desktop", 1280, 800, false, "screen"},
		{"print", 680, 1000, false, "print"}, // A4 less 15 mm margins at 96 dpi
	} {
		t.Run(vp.name, func(t *testing.T) {
			b.t = t
			b.viewport(ctx, vp.width, vp.height, vp.mobile)
			b.do(ctx, "Emulation.setEmulatedMedia", map[string]any{"media": vp.media}, nil)
			b.navigate(ctx, u)
			var l layout
			b.eval(ctx, layoutScript, &l)
			if l.Viewport != float64(vp.width) {
				t.Errorf("viewport is %v px wide, want %d", l.Viewport, vp.width)
			}
			if l.ScrollWidth > float64(vp.width) {
				t.Errorf("page scrolls sideways: %v px wide in a %d px viewport; too wide: %v", l.ScrollWidth, vp.width, l.Wide)
			} else if len(l.Wide) > 0 {
				t.Errorf("elements reach past the viewport: %v", l.Wide)
			}
			if len(l.Clipped) > 0 {
				t.Errorf("chart text falls outside the chart: %v", l.Clipped)
			}
			if l.ChartFontPx < 11 {
				t.Errorf("chart text is drawn at %.1f px, want at least 11", l.ChartFontPx)
			}
			for _, cls := range []string{"committed", "delivered"} {
				if c, ok := l.Contrast[cls]; !ok || c < 3 {
					t.Errorf("%s bar contrast against the page %.2f:1, want at least 3:1", cls, c)
				}
			}
			if l.Main != 1 {
				t.Errorf("%d <main> landmarks, want 1", l.Main)
			}
			const name = "Kingsbridge & <Riverside> Business Network"
			if !strings.Contains(l.Title, name) || !strings.Contains(l.H1, name) {
				t.Errorf("title %q and heading %q should name the network", l.Title, l.H1)
			}
			b.eval(ctx, axe+"\n;true", nil)
			var res axeResult
			b.eval(ctx, axeScript, &res)
			for _, v := range res.Violations {
				t.Errorf("axe %s (%s): %s\n  %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
			}
			t.Logf("axe-core %s: %d rules passed, no violations: %v; needs review: %v", res.Version, len(res.Passes), len(res.Violations) == 0, res.Incomplete)
			if shots != "" && vp.media == "screen" {
				save(t, shots, "report-"+vp.name+".png", b.screenshot(ctx, 0, 0))
				var height int
				b.eval(ctx, "document.documentElement.scrollHeight", &height)
				for i, top := 0, 0; top < height; i, top = i+1, top+vp.height {
					save(t, shots, fmt.Sprintf("report-%s-%d.png", vp.name, i), b.screenshot(ctx, top, min(vp.height, height-top)))
				}
				if !vp.mobile {
					save(t, shots, "report.pdf", b.pdf(ctx))
				}
			}
		})
	}
}

func save(t *testing.T, dir, name string, data []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Error(err)
	}
}
