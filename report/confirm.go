package report

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

var confirmPage = template.Must(template.New("confirm.html.tmpl").ParseFS(assets, "confirm.html.tmpl"))

// linkReader reads the pledge a confirm link is about: the token is the
// right, so the read is not limited to what a person may see.
var linkReader = bot.Actor{ID: bot.Identity{Platform: "web", Workspace: "confirm", User: "link"}, Admin: true}

const (
	badLink     = "This confirm link is not valid. Ask the business for a new one (/pledge confirm-link).\n"
	expiredLink = "This confirm link has expired. Ask the business for a new one (/pledge confirm-link).\n"
	revokedLink = "This confirm link was withdrawn by the business. Ask it for a new one if you still need one.\n"
	goneLink    = "This confirm link no longer applies: its pledge was deleted or is made to another partner now.\n"
	crossSite   = "Refused: this form can only be sent from its own page.\n"
	unavailable = "The page is unavailable right now; please try again later.\n"
)

// ConfirmHandler serves GET and POST /confirm/{community}?token=...: a
// community partner outside the chat confirms or queries the progress
// entries of the one pledge the token names. Without a valid token it
// answers 404 (410 for a genuine one that expired) and reads nothing but
// the link secret. Posts from another origin are refused (403), both by
// the browser's Sec-Fetch-Site or Origin headers and by each form's mac.
func ConfirmHandler(b *bot.Bot, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		confirmHeaders(w)
		http.Error(w, crossSite, http.StatusForbidden)
	}))
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		confirmHeaders(w)
		community, token := r.PathValue("community"), r.URL.Query().Get("token")
		if !communityRe.MatchString(community) || token == "" {
			http.Error(w, badLink, http.StatusNotFound)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		secret, err := Secret(ctx, b, community, false)
		if err != nil {
			log.Error("confirm link secret", "community", community, "err", err)
			http.Error(w, unavailable, http.StatusServiceUnavailable)
			return
		}
		claims, err := VerifyConfirm(secret, token, community, b.Now())
		if errors.Is(err, ErrExpired) {
			http.Error(w, expiredLink, http.StatusGone)
			return
		} else if err != nil {
			http.Error(w, badLink, http.StatusNotFound)
			return
		}
		// A link the business withdrew opens nothing, and its forms are refused.
		// A pledge gone is the page's own answer (render); a store that
		// cannot say refuses rather than serve a link it could not check.
		p, _, err := b.Store().Pledge(ctx, community, linkReader, claims.Pledge)
		if err == nil && p.LinkGen != claims.Gen {
			http.Error(w, revokedLink, http.StatusGone)
			return
		} else if err != nil && bot.ErrorCode(err) != bot.NotFound {
			log.Error("confirm link generation", "community", community, "err", err)
			http.Error(w, unavailable, http.StatusServiceUnavailable)
			return
		}
		v := confirmView{Expires: time.Unix(claims.Expires, 0).UTC(), MaxName: MaxName, MaxNote: MaxNote}
		status := http.StatusOK
		if r.Method == http.MethodPost {
			var code bot.Code
			v.Message, code = apply(ctx, b, r, secret, token, claims)
			v.Failed = code != ""
			switch code {
			case "":
			case "csrf":
				http.Error(w, crossSite, http.StatusForbidden)
				return
			case "revoked": // withdrawn while the form was on its way
				http.Error(w, revokedLink, http.StatusGone)
				return
			case bot.Unavailable, bot.Internal:
				log.Error("confirm link post", "community", community, "err", v.Message)
				http.Error(w, unavailable, http.StatusServiceUnavailable)
				return
			case bot.Conflict:
				status = http.StatusConflict
			default:
				status = http.StatusBadRequest
			}
		}
		body, err := v.render(ctx, b, secret, token, claims)
		if errors.Is(err, errGone) {
			http.Error(w, goneLink, http.StatusGone)
			return
		} else if err != nil {
			log.Error("confirm page", "community", community, "err", err)
			http.Error(w, unavailable, http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		w.Write(body)
	}))
}

func confirmHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the token is in the URL
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
}

// apply checks a posted form and applies it through the store, as /pledge
// confirm and query do. It returns what the page says and, for a refusal,
// its code ("csrf" for a form the page did not make).
func apply(ctx context.Context, b *bot.Bot, r *http.Request, secret []byte, token string, c ConfirmClaims) (string, bot.Code) {
	r.Body = http.MaxBytesReader(nil, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return "The form could not be read; reload the page and try again.", bot.Invalid
	}
	f, err := parseCheckForm(r.PostForm)
	if err != nil {
		if f.CSRF != "" && !hmac.Equal([]byte(f.CSRF), []byte(formMAC(secret, token, f.Req))) {
			return "", "csrf"
		}
		return err.Error(), bot.Invalid
	}
	if !hmac.Equal([]byte(f.CSRF), []byte(formMAC(secret, token, f.Req))) {
		return "", "csrf"
	}
	ce := bot.CheckEntry{Pledge: c.Pledge, Entry: f.Entry, Query: f.Query, Note: f.Note, Visitor: f.Name, Partner: c.Partner, LinkGen: c.Gen}
	if f.Query {
		ce.Notice = bot.QueryNotice(c.Pledge, f.Name+", through your confirm link, says", f.Note)
	}
	_, k, err := b.Store().CheckEntry(ctx, c.Community, bot.Actor{}, ce, "link:"+f.Req)
	if err != nil {
		var se *bot.StoreError
		if errors.As(err, &se) && se.Kind == "link_revoked" {
			return "", "revoked"
		}
		var be *bot.Error
		if errors.As(err, &be) && be.Code != bot.Internal && be.Code != bot.Unavailable {
			return be.Message, be.Code
		}
		return err.Error(), bot.Unavailable
	}
	if f.Query {
		return fmt.Sprintf("Entry %d is queried. Thank you, %s: the business is told and can correct it.", k, f.Name), ""
	}
	return fmt.Sprintf("Entry %d is confirmed. Thank you, %s.", k, f.Name), ""
}

// formMAC binds a form's one-time request id to the link it was served
// under: a form another site makes cannot carry it.
func formMAC(secret []byte, token, req string) string {
	return b64.EncodeToString(mac(secret, formPurpose, token+"\x00"+req))
}

type confirmView struct {
	Pledge           bot.Pledge
	Partner          string
	Entries          []entryRow
	Message          string
	Failed           bool
	Expires          time.Time
	MaxName, MaxNote int
}

type entryRow struct {
	Number         int
	Amount, Logged string
	Queried        bool
	Req, CSRF      string
}

var errGone = errors.New("report: the confirm link's pledge is gone")

// render lists the pledge's entries awaiting confirmation or queried, each
// with a form carrying a fresh request id.
func (v confirmView) render(ctx context.Context, b *bot.Bot, secret []byte, token string, c ConfirmClaims) ([]byte, error) {
	p, events, err := b.Store().Pledge(ctx, c.Community, linkReader, c.Pledge)
	if bot.ErrorCode(err) == bot.NotFound || (err == nil && p.Partner != c.Partner) {
		return nil, errGone
	} else if err != nil {
		return nil, err
	}
	v.Pledge = p
	v.Partner = fmt.Sprintf("partner #%d", p.Partner)
	if pt, err := b.Store().Partner(ctx, c.Community, p.Partner); err == nil {
		v.Partner = pt.Name
	}
	amounts, logged := map[int]float64{}, map[int]time.Time{}
	last := 0
	for _, e := range events {
		switch e.Kind {
		case bot.EventProgress:
			amounts[e.Entry], logged[e.Entry], last = e.Amount, e.At, max(last, e.Entry)
		case bot.EventCorrected:
			amounts[e.Entry] = e.Amount
		}
	}
	for k := 1; k <= last; k++ {
		at, ok := logged[k]
		if !ok || amounts[k] == 0 || p.Checks[k] == bot.CheckConfirmed {
			continue
		}
		req := newReq()
		v.Entries = append(v.Entries, entryRow{Number: k, Amount: bot.FormatAmount(p.Shown(amounts[k]), p.Unit),
			Logged: at.UTC().Format(bot.DateStyle), Queried: p.Checks[k] == bot.CheckQueried, Req: req, CSRF: formMAC(secret, token, req)})
	}
	var buf bytes.Buffer
	if err := confirmPage.Execute(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// newReq is a form's one-time request id: 22 characters, 128 random bits.
func newReq() string {
	var r [16]byte
	rand.Read(r[:])
	return b64.EncodeToString(r[:])
}
