package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	slackapi "github.com/slack-go/slack"
)

// MaxBody bounds what one Slack request may send; real payloads (even a
// view_submission with every field filled) are far smaller.
const MaxBody = 1 << 20

// MaxSkew is how old (or how far in the future) a signed request may be.
const MaxSkew = 5 * time.Minute

var errSignature = errors.New("slack: bad or stale signature")

// Sign returns the X-Slack-Signature value for body at timestamp ts: the
// v0 scheme, HMAC-SHA256 of "v0:ts:body". Tests and benchmarks sign with it.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + strconv.FormatInt(ts, 10) + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// readSigned reads a bounded body and checks its signature. Nothing about
// the request is looked at before this succeeds.
//
// The signature is checked by slack-go (slack.NewSecretsVerifier), which
// also refuses timestamps more than five minutes from the wall clock. The
// window is checked here as well against now, the adapter's clock, which
// tests set; in production both are time.Now.
func readSigned(r *http.Request, secret string, now time.Time) ([]byte, error) {
	sv, err := slackapi.NewSecretsVerifier(r.Header, secret)
	if err != nil {
		return nil, errSignature
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-Slack-Request-Timestamp"), 10, 64)
	if err != nil {
		return nil, errSignature
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return nil, errSignature
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil || len(body) > MaxBody {
		return nil, errSignature
	}
	sv.Write(body)
	if sv.Ensure() != nil {
		return nil, errSignature
	}
	return body, nil
}
