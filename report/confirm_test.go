package report_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/report"
)

// partnerNet: partner #1 Food Bank (fiona); business #1 Acme (owner ann,
// member zed) with pledge #1 made to the Food Bank, entries 8 and 6 hours;
// pledge #2 names no partner. The server mounts the confirm page as serve
// does, and the report page.
func partnerNet(t *testing.T) (*pledgetest.Harness, *httptest.Server) {
	h := pledgetest.NewWithConfig(t, &config.Config{Themes: config.DefaultThemes})
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("fiona", "/partner register Food Bank")
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", "/business add-member zed")
	h.MustDo("ann", `/pledge add "Volunteer at the <i>food bank</i>" theme:volunteering target:40 partner:1`)
	h.MustDo("zed", "/pledge progress 1 8 first week")
	h.MustDo("zed", "/pledge progress 1 6 second week")
	h.MustDo("ann", `/pledge add "Plant trees" theme:volunteering target:10`)
	h.MustDo(h.Admin, "/roles grant council council")
	mux := http.NewServeMux()
	mux.Handle("GET /reports/{community}", report.Handler(h.Bot, nil))
	confirm := report.ConfirmHandler(h.Bot, nil)
	mux.Handle("GET /confirm/{community}", confirm)
	mux.Handle("POST /confirm/{community}", confirm)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return h, srv
}

// confirmURL asks the bot for pledge #1's confirm link, on the test server.
func confirmURL(t *testing.T, h *pledgetest.Harness, srv *httptest.Server) string {
	t.Helper()
	out := h.MustDo("ann", "/pledge confirm-link 1")
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, "/confirm/"); i >= 0 {
			return srv.URL + strings.TrimSpace(l[i:])
		}
	}
	t.Fatalf("no link in reply:\n%s", out)
	return ""
}

var hiddenRe = regexp.MustCompile(`<form class="entry" id="entry-(\d+)"[\s\S]*?name="req" value="([^"]+)"[\s\S]*?name="csrf" value="([^"]+)"`)

// form is entry k's form on the page, filled in.
func form(t *testing.T, page string, k, name, do, note string) url.Values {
	t.Helper()
	for _, m := range hiddenRe.FindAllStringSubmatch(page, -1) {
		if m[1] == k {
			return url.Values{"entry": {k}, "req": {m[2]}, "csrf": {m[3]}, "name": {name}, "do": {do}, "note": {note}}
		}
	}
	t.Fatalf("no form for entry %s on the page:\n%s", k, page)
	return nil
}

// post sends a form as a browser on the page's own origin does, with any
// header changed by hdr.
func post(t *testing.T, u string, v url.Values, hdr map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, val := range hdr {
		if val == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, val)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func checks(t *testing.T, h *pledgetest.Harness) map[int]string {
	t.Helper()
	p, _, err := h.Store.Pledge(t.Context(), h.Community(), bot.Actor{ID: bot.Identity{Platform: "console", Workspace: "local", User: "ann"}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return p.Checks
}

func TestConfirmLinkCommand(t *testing.T) {
	h, _ := partnerNet(t)
	out := h.MustDo("zed", "/pledge confirm-link 1 days:14")
	for _, want := range []string{"/confirm/", "?token=", "Send it to #1 Food Bank", "until 19 Oct 2026 09:00 UTC"} {
		if !strings.Contains(out, want) {
			t.Errorf("reply lacks %q:\n%s", want, out)
		}
	}
	if msg := h.MustFail("ann", "/pledge confirm-link 2", bot.Invalid); !strings.Contains(msg, "names no community partner") {
		t.Errorf("pledge without a partner: %s", msg)
	}
	h.MustFail("fiona", "/pledge confirm-link 1", bot.Forbidden) // the partner's own people use /pledge confirm
	h.MustFail("ann", "/pledge confirm-link 1 days:91", bot.Invalid)
}

// A visitor confirms entry 1 and queries entry 2; the pledge's history
// names them, the business's owner is told of the query, and the page then
// lists only the queried entry.
func TestConfirmPageConfirmAndQuery(t *testing.T) {
	h, srv := partnerNet(t)
	u := confirmURL(t, h, srv)
	code, page, hdr := get(t, u)
	if code != 200 {
		t.Fatalf("GET %d: %s", code, page)
	}
	for _, want := range []string{"Acme", "Volunteer at the &lt;i&gt;food bank&lt;/i&gt;", "Food Bank", "Entry 1: 8 hours, logged 5 Oct 2026", "Entry 2: 6 hours"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(page, "<script") {
		t.Errorf("the page has a script")
	}
	code, body := post(t, u, form(t, page, "1", "  Seán  O'Neill ", "confirm", ""), nil)
	if code != 200 || !strings.Contains(body, "Entry 1 is confirmed. Thank you, Seán O&#39;Neill.") {
		t.Fatalf("confirm: %d %s", code, body)
	}
	if strings.Contains(body, `id="entry-1"`) || !strings.Contains(body, `id="entry-2"`) {
		t.Errorf("after confirming entry 1 the page should list entry 2 only:\n%s", body)
	}
	code, body = post(t, u, form(t, page, "2", "Seán O'Neill", "query", "we counted 5 hours"), nil)
	if code != 200 || !strings.Contains(body, "Entry 2 is queried.") || !strings.Contains(body, "(queried)") {
		t.Fatalf("query: %d %s", code, body)
	}
	if got := checks(t, h); got[1] != bot.CheckConfirmed || got[2] != bot.CheckQueried {
		t.Fatalf("checks %v", got)
	}
	show := h.MustDo("ann", "/pledge show 1")
	for _, want := range []string{"link visitor Seán O'Neill via confirm link confirmed entry 1", "link visitor Seán O'Neill via confirm link queried entry 2",
		"Entry 2 is queried: we counted 5 hours"} {
		if !strings.Contains(show, want) {
			t.Errorf("/pledge show lacks %q:\n%s", want, show)
		}
	}
	// A query without a note, and a name that is no name, are refused.
	for _, v := range []url.Values{form(t, body, "2", "Seán", "query", ""), form(t, body, "2", "evil.example.com", "confirm", ""),
		form(t, body, "2", "<b>x</b>", "confirm", ""), form(t, body, "2", "", "confirm", "")} {
		if code, _ := post(t, u, v, nil); code != 400 {
			t.Errorf("%v: %d, want 400", v, code)
		}
	}
}

// A double submit or a replay of one form applies once; its answer is the
// first's.
func TestConfirmPageReplayAppliesOnce(t *testing.T) {
	h, srv := partnerNet(t)
	u := confirmURL(t, h, srv)
	_, page, _ := get(t, u)
	v := form(t, page, "2", "Jo", "confirm", "")
	for i := 0; i < 3; i++ {
		if code, body := post(t, u, v, nil); code != 200 || !strings.Contains(body, "Entry 2 is confirmed") {
			t.Fatalf("post %d: %d %s", i, code, body)
		}
	}
	if n := strings.Count(h.MustDo("ann", "/pledge show 1"), "confirmed entry 2"); n != 1 {
		t.Fatalf("the history has %d confirmations, want 1", n)
	}
	// A new form for an entry already confirmed says so.
	_, page2, _ := get(t, u)
	if strings.Contains(page2, `id="entry-2"`) {
		t.Fatalf("a confirmed entry is still offered")
	}
}

// Tokens not made by the bot for this page are refused without a word of
// what they hold; a genuine one past its time says it expired.
func TestConfirmPageRefusesTokens(t *testing.T) {
	h, srv := partnerNet(t)
	u := confirmURL(t, h, srv)
	base, tok, _ := strings.Cut(u, "?token=")
	tok, _ = url.QueryUnescape(tok)
	payload, sig, _ := strings.Cut(tok, ".")
	forged := report.SignConfirm([]byte("not the community's secret at all"), report.ConfirmClaims{Community: h.Community(), Pledge: 1, Partner: 1, Expires: h.Clock.Now().Add(time.Hour).Unix()})
	altered := strings.TrimSuffix(payload, payload[len(payload)-1:]) + map[bool]string{true: "B", false: "A"}[payload[len(payload)-1] == 'A'] + "." + sig
	reportLink := link(t, h, srv, "/summary link")
	_, reportTok, _ := strings.Cut(reportLink, "?token=")
	for name, tk := range map[string]string{"forged": forged, "altered": altered, "report token": mustUnescape(reportTok), "empty": "", "junk": "x.y"} {
		code, body, _ := get(t, base+"?token="+url.QueryEscape(tk))
		if code != 404 || strings.Contains(body, "Acme") {
			t.Errorf("%s: %d %s", name, code, body)
		}
	}
	// The confirm token opens no report page.
	if code, _, _ := get(t, strings.Replace(base, "/confirm/", "/reports/", 1)+"?token="+url.QueryEscape(tok)); code != 403 {
		t.Errorf("confirm token on the report page: %d, want 403", code)
	}
	_, page, _ := get(t, u)
	v := form(t, page, "1", "Jo", "confirm", "")
	h.Clock.Set(h.Clock.Now().Add(7*24*time.Hour + time.Second))
	if code, body, _ := get(t, u); code != 410 || !strings.Contains(body, "expired") || strings.Contains(body, "Acme") {
		t.Errorf("expired GET: %d %s", code, body)
	}
	if code, _ := post(t, u, v, nil); code != 410 {
		t.Errorf("expired POST: %d", code)
	}
	if got := checks(t, h); len(got) != 0 {
		t.Fatalf("refused requests applied: %v", got)
	}
}

// A post from another site is refused with 403 and changes nothing:
// whether the browser says so (Sec-Fetch-Site, Origin) or the form's mac
// does not match its link.
func TestConfirmPageRefusesCrossSitePosts(t *testing.T) {
	h, srv := partnerNet(t)
	u := confirmURL(t, h, srv)
	_, page, _ := get(t, u)
	v := form(t, page, "1", "Jo", "confirm", "")
	bad := url.Values{}
	for k, val := range v {
		bad[k] = val
	}
	bad.Set("csrf", strings.Repeat("A", 43))
	other := form(t, page, "2", "Jo", "confirm", "")
	other.Set("req", v.Get("req")) // a mac of another form
	for name, tc := range map[string]struct {
		v   url.Values
		hdr map[string]string
	}{
		"cross-site":         {v, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		"same-site":          {v, map[string]string{"Sec-Fetch-Site": "same-site"}},
		"foreign origin":     {v, map[string]string{"Sec-Fetch-Site": "", "Origin": "https://evil.example"}},
		"forged form mac":    {bad, nil},
		"another form's mac": {other, nil},
		"no form mac":        {url.Values{"entry": {"1"}, "req": {v.Get("req")}, "name": {"Jo"}, "do": {"confirm"}}, nil},
	} {
		if code, body := post(t, u, tc.v, tc.hdr); code != 403 {
			t.Errorf("%s: %d %s", name, code, body)
		}
	}
	if got := checks(t, h); len(got) != 0 {
		t.Fatalf("a cross-site post applied: %v", got)
	}
	// Without the browser's headers (an old browser), the form's mac decides.
	if code, body := post(t, u, v, map[string]string{"Sec-Fetch-Site": ""}); code != 200 {
		t.Fatalf("same-origin post without headers: %d %s", code, body)
	}
}

func mustUnescape(s string) string {
	v, _ := url.QueryUnescape(s)
	return v
}

// /pledge confirm-link N revoke withdraws every link made so far: their
// pages answer 410 saying so and refuse their forms; a link made after
// works. Only the business's owners and admins may; a replay of the
// revoke withdraws nothing more.
func TestConfirmLinkRevoke(t *testing.T) {
	h, srv := partnerNet(t)
	first, second := confirmURL(t, h, srv), confirmURL(t, h, srv)
	_, page, _ := get(t, first)
	v := form(t, page, "1", "Jo", "confirm", "")
	h.MustFail("zed", "/pledge confirm-link 1 revoke", bot.Forbidden)   // a member, not an owner
	h.MustFail("fiona", "/pledge confirm-link 1 revoke", bot.Forbidden) // the partner
	for range 2 {                                                       // a platform's retry
		r := h.Bot.Handle(t.Context(), bot.Request{ID: "evt-revoke", From: bot.Identity{Platform: bot.Console, Workspace: "local", User: "ann"},
			Name: "ann", Channel: "console", Command: "pledge", Text: "confirm-link 1 revoke"})
		if r.Err != nil || !strings.Contains(r.Title, "Withdrew every confirm link made so far for pledge #1") {
			t.Fatalf("revoke: %+v", r)
		}
	}
	p, _, err := h.Store.Pledge(t.Context(), h.Community(), bot.Actor{ID: bot.Identity{Platform: "console", Workspace: "local", User: "ann"}}, 1)
	if err != nil || p.LinkGen != 1 {
		t.Fatalf("link generation %d, %v; want 1 after one revoke and its replay", p.LinkGen, err)
	}
	for _, u := range []string{first, second} {
		if code, body, _ := get(t, u); code != 410 || !strings.Contains(body, "withdrawn") || strings.Contains(body, "Acme") {
			t.Errorf("revoked GET: %d %s", code, body)
		}
	}
	if code, body := post(t, first, v, nil); code != 410 || !strings.Contains(body, "withdrawn") {
		t.Errorf("revoked POST: %d %s", code, body)
	}
	if got := checks(t, h); len(got) != 0 {
		t.Fatalf("a revoked link's form applied: %v", got)
	}
	third := confirmURL(t, h, srv)
	if code, _, _ := get(t, third); code != 200 {
		t.Errorf("a link made after the revoke: %d", code)
	}
	h.MustDo(h.Admin, "/pledge confirm-link 1 revoke")
	if code, _, _ := get(t, third); code != 410 {
		t.Errorf("after an admin's revoke: %d", code)
	}
}
