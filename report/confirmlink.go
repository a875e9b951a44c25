package report

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// ConfirmClaims are what a confirm link grants: confirming or querying the
// progress entries of one pledge, while it is made to the same partner,
// until Expires (unix seconds).
type ConfirmClaims struct {
	Community string `json:"c"`
	Pledge    int    `json:"n"`
	Partner   int    `json:"pt"`
	// Gen is the pledge's link generation when the link was made: a
	// revoke (bot.Pledge.LinkGen) withdraws every earlier one.
	Gen     int   `json:"g,omitempty"`
	Expires int64 `json:"e"`
}

// ErrExpired is a genuine confirm link past its time: the page may say
// so, as only the bot could have made the token.
var ErrExpired = errors.New("report: confirm link expired")

// SignConfirm signs a confirm link's claims (the report links' format,
// another purpose).
func SignConfirm(secret []byte, c ConfirmClaims) string { return sign(secret, confirmPurpose, c) }

// VerifyConfirm checks a confirm token's signature, community and expiry:
// ErrToken for anything not made by the bot for this community, ErrExpired
// for a genuine token past its time.
func VerifyConfirm(secret []byte, token, community string, now time.Time) (ConfirmClaims, error) {
	var c ConfirmClaims
	if err := verify(secret, confirmPurpose, token, &c); err != nil || c.Community != community || c.Pledge <= 0 {
		return ConfirmClaims{}, ErrToken
	}
	if now.Unix() >= c.Expires {
		return c, ErrExpired
	}
	return c, nil
}

// ConfirmPath is the confirm page's path for a community.
func ConfirmPath(community string) string { return "/confirm/" + url.PathEscape(community) }

// ConfirmLink signs claims and returns the confirm page's URL (relative
// when no public base URL is configured).
func ConfirmLink(ctx context.Context, b *bot.Bot, c ConfirmClaims) (string, error) {
	secret, err := Secret(ctx, b, c.Community, true)
	if err != nil {
		return "", err
	}
	base := strings.TrimRight(b.Reports().BaseURL, "/")
	return base + ConfirmPath(c.Community) + "?token=" + url.QueryEscape(SignConfirm(secret, c)), nil
}
