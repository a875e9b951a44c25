// Package report serves the council report page, GET /reports/{community},
// opened through signed links that expire.
package report

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// Claims are what a link grants: one community's report, with the
// summary's filter, until Expires (unix seconds).
type Claims struct {
	Community string `json:"c"`
	Expires   int64  `json:"e"`
	Period    string `json:"p,omitempty"`
	Theme     string `json:"t,omitempty"`
	Area      string `json:"a,omitempty"`
}

// ErrToken is every reason a token is refused; the page says no more.
var ErrToken = errors.New("report: invalid or expired token")

// b64 decodes strictly: a token has one spelling, so a signature whose
// unused trailing bits were changed is a different, refused token.
var b64 = base64.RawURLEncoding.Strict()

// Sign returns "payload.mac", both base64url: the payload is the claims as
// JSON, the mac HMAC-SHA256 over the encoded payload.
func Sign(secret []byte, c Claims) string { return sign(secret, reportPurpose, c) }

// Verify checks a token's signature, expiry and community.
func Verify(secret []byte, token, community string, now time.Time) (Claims, error) {
	var c Claims
	if err := verify(secret, reportPurpose, token, &c); err != nil || c.Community != community || now.Unix() >= c.Expires {
		return Claims{}, ErrToken
	}
	return c, nil
}

// Purposes are signed into every mac, so a token made for one page is
// refused by every other (a report link never opens the confirm page).
const (
	reportPurpose  = "pledgebot-report-v1"
	confirmPurpose = "pledgebot-confirm-v1"
	formPurpose    = "pledgebot-confirm-form-v1"
)

func sign(secret []byte, purpose string, claims any) string {
	payload, _ := json.Marshal(claims)
	p := b64.EncodeToString(payload)
	return p + "." + b64.EncodeToString(mac(secret, purpose, p))
}

// verify checks a token's signature for purpose and decodes its claims
// into dst; the caller checks what they say.
func verify(secret []byte, purpose, token string, dst any) error {
	if len(secret) == 0 || len(token) > 1024 {
		return ErrToken
	}
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return ErrToken
	}
	got, err := b64.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac(secret, purpose, p)) {
		return ErrToken
	}
	raw, err := b64.DecodeString(p)
	if err != nil || json.Unmarshal(raw, dst) != nil {
		return ErrToken
	}
	return nil
}

func mac(secret []byte, purpose string, payload string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose + "\x00"))
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// Secret is the key that signs a community's links: the configured one
// (reports.secret / PLEDGEBOT_REPORT_SECRET), else one generated once and
// kept in the store so every replica agrees. Only signing creates it;
// checking a link with none stored finds nil and refuses.
func Secret(ctx context.Context, b *bot.Bot, community string, create bool) ([]byte, error) {
	if s := b.Reports().Secret; s != "" {
		return []byte(s), nil
	}
	return b.Store().ReportSecret(ctx, community, create)
}

// Path is the page's path for a community.
func Path(community string) string { return "/reports/" + url.PathEscape(community) }

// Link signs claims and returns the page's URL (relative when no public
// base URL is configured).
func Link(ctx context.Context, b *bot.Bot, c Claims) (string, error) {
	secret, err := Secret(ctx, b, c.Community, true)
	if err != nil {
		return "", err
	}
	base := strings.TrimRight(b.Reports().BaseURL, "/")
	return base + Path(c.Community) + "?token=" + url.QueryEscape(Sign(secret, c)), nil
}
