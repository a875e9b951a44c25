package metrics

import (
	"net/http"
)

// Transport wraps the HTTP transport of a platform's API client so that
// its traffic is counted without the adapter doing anything: every 429
// answer counts in pledgebot_rate_limited_total, and every request for
// which isSend is true (one that posts or edits a message) counts in
// pledgebot_sends_total with outcome ok (2xx), rate_limited (429; the
// client may retry, and each attempt counts) or error. next nil means
// http.DefaultTransport.
func Transport(platform string, next http.RoundTripper, isSend func(*http.Request) bool) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{platform: platformLabel(platform), next: next, isSend: isSend}
}

type transport struct {
	platform string
	next     http.RoundTripper
	isSend   func(*http.Request) bool
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	outcome := "error"
	switch {
	case err != nil:
	case resp.StatusCode == http.StatusTooManyRequests:
		rateLimited.WithLabelValues(t.platform).Inc()
		outcome = "rate_limited"
	case resp.StatusCode < 300:
		outcome = "ok"
	}
	if t.isSend != nil && t.isSend(r) {
		sends.WithLabelValues(t.platform, outcome).Inc()
	}
	return resp, err
}
