package report_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/report"
)

const privateText = "Secret food bank plan"

// network: Acme (CB1) with a public and a private pledge, Bakery (SW1A)
// with a public one; "council" may ask for links.
func network(t *testing.T, cfg *config.Config) (*pledgetest.Harness, *httptest.Server) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	if cfg.Themes == nil {
		cfg.Themes = config.DefaultThemes
	}
	h := pledgetest.NewWithConfig(t, cfg)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("owner", "/business register Acme & <Sons> postcode:\"CB1 2AB\"")
	h.MustDo("owner", `/pledge add "Hire two <b>apprentices</b>" theme:apprenticeships target:2`)
	h.MustDo("owner", "/pledge progress 1 1")
	h.MustDo("owner", `/pledge add "`+privateText+`" theme:volunteering target:40 visibility:private`)
	h.MustDo("owner", "/pledge progress 2 10")
	h.MustDo("baker", "/business register Bakery postcode:\"SW1A 1AA\"")
	h.MustDo("baker", `/pledge add "Buy flour locally" theme:buy-local target:20000`)
	h.MustDo(h.Admin, "/roles grant council council")
	mux := http.NewServeMux()
	mux.Handle("GET /reports/{community}", report.Handler(h.Bot, nil))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return h, srv
}

// link asks the bot for a report link and returns it on the test server.
func link(t *testing.T, h *pledgetest.Harness, srv *httptest.Server, line string) string {
	t.Helper()
	out := h.MustDo("council", line)
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "/reports/") {
			u, err := url.Parse(strings.TrimSpace(l))
			if err != nil {
				t.Fatal(err)
			}
			_, path, _ := strings.Cut(u.Path, "/reports/")
			return srv.URL + "/reports/" + path + "?" + u.RawQuery
		}
	}
	t.Fatalf("no link in reply:\n%s", out)
	return ""
}

func get(t *testing.T, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func TestReportPageValidToken(t *testing.T) {
	h, srv := network(t, nil)
	code, body, hdr := get(t, link(t, h, srv, "/summary link"))
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	for _, want := range []string{
		`<svg id="chart"`, `class="committed"`, `class="delivered"`, `<table id="pledges"`,
		"Hire two &lt;b&gt;apprentices&lt;/b&gt;", "Acme &amp; &lt;Sons&gt;", "Buy flour locally",
		"2 weeks of apprenticeship", "£20,000", "Pledge report: 2026-Q4",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, privateText) || strings.Contains(body, "<b>apprentices") {
		t.Errorf("page shows private or unescaped text:\n%s", body)
	}
	if !strings.Contains(hdr.Get("Content-Security-Policy"), "default-src 'none'") || hdr.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("headers: %v", hdr)
	}
	if strings.Contains(body, "http://") && !strings.Contains(body, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Errorf("page refers to the network")
	}
	// Area and theme filters travel in the signed token.
	_, body, _ = get(t, link(t, h, srv, "/summary link area:SW theme:buy-local"))
	if strings.Contains(body, "Hire two") || !strings.Contains(body, "Buy flour locally") {
		t.Errorf("filtered page:\n%s", body)
	}
}

func TestReportPageRefusals(t *testing.T) {
	h, srv := network(t, nil)
	good := link(t, h, srv, "/summary link days:2")
	u, _ := url.Parse(good)
	tok := u.Query().Get("token")
	payload, _, _ := strings.Cut(tok, ".")
	forged := report.Sign([]byte("not the community's secret at all"), report.Claims{Community: h.Community(), Expires: time.Now().Add(time.Hour).Unix()})
	cases := map[string]string{
		"no token":      srv.URL + "/reports/" + h.Community(),
		"forged":        srv.URL + "/reports/" + h.Community() + "?token=" + url.QueryEscape(forged),
		"no signature":  srv.URL + "/reports/" + h.Community() + "?token=" + payload,
		"other network": srv.URL + "/reports/other-net?token=" + url.QueryEscape(tok),
		"bad name":      srv.URL + "/reports/" + url.PathEscape("a b<c>") + "?token=" + url.QueryEscape(tok),
	}
	for name, u := range cases {
		code, body, _ := get(t, u)
		if code != http.StatusForbidden || strings.Contains(body, "Acme") || strings.Contains(body, "<svg") {
			t.Errorf("%s: %d %s", name, code, body)
		}
	}
	// Valid until it expires, then refused.
	if code, _, _ := get(t, good); code != 200 {
		t.Fatalf("fresh link: %d", code)
	}
	h.Clock.Advance(2*24*time.Hour + time.Second)
	if code, body, _ := get(t, good); code != http.StatusForbidden || strings.Contains(body, "Acme") {
		t.Errorf("expired link: %d %s", code, body)
	}
	// Checking a link for a network with no secret creates nothing.
	keys := h.Redis.Keys(t.Context(), h.Prefix+":{other-net}:*").Val()
	if len(keys) != 0 {
		t.Errorf("refusal wrote keys: %v", keys)
	}
	h.MustFail("council", "/summary link days:0", "invalid")
	h.MustFail("council", "/summary link days:91", "invalid")
}

func TestReportConfiguredSecretAndBaseURL(t *testing.T) {
	cfg := &config.Config{Reports: config.Reports{BaseURL: "https://pledge.example.org/bot", Secret: "a configured secret of 32 chars!"}}
	h, srv := network(t, cfg)
	out := h.MustDo("council", "/summary link period:2026")
	if !strings.Contains(out, "https://pledge.example.org/bot/reports/"+h.Community()+"?token=") {
		t.Fatalf("link: %s", out)
	}
	if code, body, _ := get(t, link(t, h, srv, "/summary link period:2026")); code != 200 || !strings.Contains(body, "Pledge report: 2026") {
		t.Errorf("page: %d", code)
	}
	if n := h.Redis.Exists(t.Context(), h.Prefix+":{"+h.Community()+"}:report-secret").Val(); n != 0 {
		t.Errorf("a secret was stored although one is configured")
	}
}

// A rate theme is listed in its own table, by its businesses' latest
// values, never summed into the chart; the page says the figures count
// businesses, each once.
func TestReportPageRateTheme(t *testing.T) {
	h, srv := network(t, nil)
	h.MustDo("owner", `/pledge add "Pay the real Living Wage" theme:fair-pay target:100`)
	h.MustDo("owner", "/pledge progress 4 80")
	h.MustDo("owner", "/pledge progress 4 86.5")
	_, body, _ := get(t, link(t, h, srv, "/summary link"))
	// By hand: one pledge, of Acme, whose latest value is 86.5 → 87%, not
	// its target of 100; self-reported (it names no partner).
	for _, want := range []string{
		`<table id="rates" class="reflow">`,
		`<th class="n">Pledges</th><th class="n">Businesses</th><th class="n">Reporting</th><th class="n">Met their target</th><th class="n">Median</th><th class="n">Range</th>`,
		`<tr class="rate"><td data-label="Theme">fair pay and good work</td><td data-label="Unit">% staff on the real Living Wage</td><td class="n" data-label="Pledges">1</td><td class="n" data-label="Businesses">1</td><td class="n" data-label="Reporting">1</td><td class="n" data-label="Met their target">0</td><td class="n" data-label="Median">87%</td><td class="n" data-label="Range">87% to 87%</td></tr>`,
		`<td data-label="Theme">fair pay and good work</td><td data-label="Unit">% staff on the real Living Wage</td><td data-label="Figure">businesses reporting</td><td class="n" data-label="Confirmed">0</td><td class="n" data-label="Awaiting confirmation">0</td><td class="n" data-label="Queried">0</td><td class="n" data-label="Self-reported">1</td>`,
		`<p id="rates-note">Each business counts once, with the latest value it reported on any of its pledges of the theme`,
		`<dt>Rate themes</dt><dd>A share a business reports about itself, never added up. Pledges: the theme's live pledges; Businesses: the businesses holding them, each counted once`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	chart, _, _ := strings.Cut(body, `<table id="rates"`)
	if strings.Contains(chart, ">fair pay and good work<") || strings.Contains(body, "166.5") {
		t.Errorf("the rate theme is charted or summed:\n%s", body)
	}
	if strings.Contains(strings.ToLower(body), "indicative") {
		t.Errorf("indicative £ without a proxy")
	}
}

// The page names the network by its configured display name, escaped, in
// its title and heading; a community with no name is named by its id.
func TestReportPageNamesTheNetwork(t *testing.T) {
	cfg := &config.Config{Communities: []config.Community{{
		ID: "kingsbridge", Name: "Kingsbridge & <Riverside> Business Network", Workspaces: []string{"console:local"}}}}
	h, srv := network(t, cfg)
	_, body, _ := get(t, link(t, h, srv, "/summary link"))
	const name = "Kingsbridge &amp; &lt;Riverside&gt; Business Network"
	for _, want := range []string{
		"<title>Pledge report: 2026-Q4 · " + name + "</title>",
		`<h1><span class="network">` + name + `</span> Pledge report: 2026-Q4</h1>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	h, srv = network(t, nil)
	_, body, _ = get(t, link(t, h, srv, "/summary link"))
	if want := "<title>Pledge report: 2026-Q4 · " + h.Community() + "</title>"; !strings.Contains(body, want) {
		t.Errorf("unnamed network: page lacks %q", want)
	}
}

// The page names the period view's figures in its table and says on the
// page itself what they mean.
func TestReportPageSaysWhatFiguresMean(t *testing.T) {
	h, srv := network(t, nil)
	_, body, _ := get(t, link(t, h, srv, "/summary link"))
	for _, want := range []string{
		`live during the period <small>`,
		`<th class="n">Live</th>`, `<th class="n">Committed</th>`, `<th class="n">Delivered in period</th>`,
		`<th class="n">Delivered to date</th>`, `<th class="n">% of committed</th>`,
		`<h2 id="meanings-title">What these figures mean</h2>`,
		`<dt>Live</dt><dd>Pledges made before the period ended and not done or lapsed before it began.`,
		`<dt>Committed</dt><dd>The targets of the live pledges`,
		`<dt>Delivered in period</dt>`, `<dt>Delivered to date</dt>`, `<dt>% of committed</dt><dd>Delivered to date as a share of committed`,
		`delivered to date (lower bar)`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// Without a rate theme the page neither lists rates nor explains them.
func TestReportPageWithoutRatesSaysNothingOfThem(t *testing.T) {
	h, srv := network(t, nil)
	_, body, _ := get(t, link(t, h, srv, "/summary link"))
	for _, not := range []string{`<table id="rates"`, `<dt>Rate themes</dt>`, `"Figure">businesses reporting<`} {
		if strings.Contains(body, not) {
			t.Errorf("page has %q without a rate theme", not)
		}
	}
}
