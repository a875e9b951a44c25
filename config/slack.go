package config

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// check explains what distribution (OAuth installs) still needs: both
// halves of the client credentials, a key to seal the tokens with, and a
// way for Slack to reach the bot.
func (s Slack) check(bad func(field, format string, args ...any)) {
	if !s.Distributed() {
		if s.TokenKey != "" {
			if _, err := TokenKey(s.TokenKey); err != nil {
				bad("slack.token_key", "%v", err)
			}
		}
		return
	}
	if s.ClientID == "" {
		bad("slack.client_id", "is required with slack.client_secret (SLACK_CLIENT_ID, from Basic Information → App Credentials)")
	}
	if s.ClientSecret == "" {
		bad("slack.client_secret", "is required with slack.client_id (SLACK_CLIENT_SECRET, from Basic Information → App Credentials)")
	}
	if s.TokenKey == "" {
		bad("slack.token_key", "is required with slack.client_id: the key that seals stored bot tokens (SLACK_TOKEN_KEY, 32 random bytes in base64, e.g. `openssl rand -base64 32`)")
	} else if _, err := TokenKey(s.TokenKey); err != nil {
		bad("slack.token_key", "%v", err)
	}
	if s.SigningSecret == "" && s.AppToken == "" {
		bad("slack.signing_secret", "distribution needs Slack to reach the bot: set SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)")
	}
}

// TokenKey decodes slack.token_key: 32 bytes in standard or URL-safe
// base64, padded or not. The error never repeats the key.
func TokenKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil {
			if len(k) != 32 {
				return nil, &keyError{n: len(k)}
			}
			return k, nil
		}
	}
	return nil, &keyError{n: -1}
}

type keyError struct{ n int }

func (e *keyError) Error() string {
	if e.n < 0 {
		return "is not base64: make one with `openssl rand -base64 32`"
	}
	return "must be 32 bytes once decoded from base64, not " + strconv.Itoa(e.n) + ": make one with `openssl rand -base64 32`"
}
