package report_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// submit runs a script that sends a form (a click on a submit button: the
// page itself runs no script) and waits for the page it leads to.
func (b *browser) submit(ctx context.Context, script string) {
	b.t.Helper()
	for len(b.events) > 0 {
		<-b.events
	}
	b.eval(ctx, script+";true", nil)
	for {
		select {
		case ev := <-b.events:
			if ev.Method == "Page.loadEventFired" {
				return
			}
		case <-ctx.Done():
			b.t.Fatalf("submitting: %v", ctx.Err())
		}
	}
}

func (b *browser) text(ctx context.Context) string {
	var s string
	b.eval(ctx, "document.body.innerText", &s)
	return s
}

// TestConfirmPageInChromium: a partner's visitor opens the confirm link in
// real Chromium, types their name and clicks Confirm, then queries the
// other entry with a note; the store has both. A page on another site
// posting a genuine form to it is refused, and forged and expired links
// show only a refusal.
func TestConfirmPageInChromium(t *testing.T) {
	bin := chromium(t)
	h, srv := partnerNet(t)
	u := confirmURL(t, h, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b := startBrowser(t, ctx, bin)

	// Another site (localhost is another site than 127.0.0.1) serves a
	// copy of a genuine form, mac and all, aimed at the confirm page.
	b.navigate(ctx, u)
	var hidden []string
	b.eval(ctx, `[...document.querySelectorAll('#entry-1 input[type=hidden]')].map(i => i.name + '=' + i.value)`, &hidden)
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var fields strings.Builder
		for _, kv := range hidden {
			k, v, _ := strings.Cut(kv, "=")
			fmt.Fprintf(&fields, `<input type="hidden" name="%s" value="%s">`, k, v)
		}
		fmt.Fprintf(w, `<!DOCTYPE html><form method="post" action="%s">%s<input name="name" value="Mallory"><button name="do" value="confirm">Go</button></form>`, u, fields.String())
	}))
	defer evil.Close()
	evilURL, _ := url.Parse(evil.URL)
	b.navigate(ctx, "http://localhost:"+evilURL.Port()+"/")
	b.submit(ctx, `document.querySelector('button').click()`)
	if s := b.text(ctx); !strings.Contains(s, "Refused") {
		t.Errorf("the cross-site post was not refused; the page says:\n%s", s)
	}
	if got := checks(t, h); len(got) != 0 {
		t.Fatalf("the cross-site post applied: %v", got)
	}

	b.navigate(ctx, u)
	b.submit(ctx, `document.getElementById('name-1').value = 'Jo Bloggs'; document.querySelector('#entry-1 button[value=confirm]').click()`)
	if s := b.text(ctx); !strings.Contains(s, "Entry 1 is confirmed. Thank you, Jo Bloggs.") {
		t.Fatalf("after Confirm the page says:\n%s", s)
	}
	b.submit(ctx, `document.getElementById('name-2').value = 'Jo Bloggs'; document.getElementById('note-2').value = 'we counted 5';
		document.querySelector('#entry-2 button[value=query]').click()`)
	if s := b.text(ctx); !strings.Contains(s, "Entry 2 is queried.") {
		t.Fatalf("after Query the page says:\n%s", s)
	}
	if got := checks(t, h); got[1] != bot.CheckConfirmed || got[2] != bot.CheckQueried {
		t.Fatalf("the store's checks %v, want entry 1 confirmed and 2 queried", got)
	}
	if show := h.MustDo("ann", "/pledge show 1"); !strings.Contains(show, "link visitor Jo Bloggs via confirm link confirmed entry 1") {
		t.Errorf("/pledge show:\n%s", show)
	}

	base, tok, _ := strings.Cut(u, "?token=")
	b.navigate(ctx, base+"?token="+strings.Replace(tok, "e", "f", 1))
	if s := b.text(ctx); !strings.Contains(s, "not valid") || strings.Contains(s, "Acme") {
		t.Errorf("forged link shows:\n%s", s)
	}
	// The business withdraws its links: the page, open in the browser
	// before, now says so, and its form is refused.
	b.navigate(ctx, u)
	h.MustDo("ann", "/pledge confirm-link 1 revoke")
	b.submit(ctx, `document.getElementById('name-2').value = 'Jo Bloggs'; document.querySelector('#entry-2 button[value=confirm]').click()`)
	if s := b.text(ctx); !strings.Contains(s, "withdrawn") || strings.Contains(s, "Acme") {
		t.Errorf("a withdrawn link's form post shows:\n%s", s)
	}
	if got := checks(t, h); got[2] != bot.CheckQueried {
		t.Fatalf("a withdrawn link's form applied: %v", got)
	}
	b.navigate(ctx, u)
	if s := b.text(ctx); !strings.Contains(s, "withdrawn") || strings.Contains(s, "Acme") {
		t.Errorf("withdrawn link shows:\n%s", s)
	}
	h.Clock.Set(h.Clock.Now().Add(8 * 24 * time.Hour))
	b.navigate(ctx, confirmURL(t, h, srv))
	if s := b.text(ctx); !strings.Contains(s, "Entry 2") {
		t.Errorf("a link made after the revoke shows:\n%s", s)
	}
	b.navigate(ctx, u)
	if s := b.text(ctx); !strings.Contains(s, "expired") || strings.Contains(s, "Acme") {
		t.Errorf("expired link shows:\n%s", s)
	}
}
