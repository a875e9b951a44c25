package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
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

var (
	transportUp = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "pledgebot_transport_up",
		Help: "1 while a chat transport (slack-http, slack-socket, discord-http, discord-gateway) is connected and carrying traffic, else 0.",
	}, []string{"transport"})
	transportReconnects = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pledgebot_transport_reconnects_total",
		Help: "Reconnections of a chat transport, by transport and reason (refused, lost, zombie, server_request, invalid_session, closed).",
	}, []string{"transport", "reason"})
	ackFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pledgebot_ack_failures_total",
		Help: "Acknowledgements that could not go out the normal way, by transport and reason (too_big: sent through response_url instead; failed: lost).",
	}, []string{"transport", "reason"})
)

// TransportUp sets pledgebot_transport_up for one transport.
func TransportUp(transport string, up bool) {
	v := 0.0
	if up {
		v = 1
	}
	transportUp.WithLabelValues(transport).Set(v)
}

// TransportReconnect counts one reconnection of a transport; reason is one
// of the supervise package's reason labels.
func TransportReconnect(transport, reason string) {
	transportReconnects.WithLabelValues(transport, reason).Inc()
}

// AckFailed counts an acknowledgement that did not go out as one frame:
// reason "too_big" (the reply went another way) or "failed" (lost).
func AckFailed(transport, reason string) {
	ackFailures.WithLabelValues(transport, reason).Inc()
}

// AckFailures is the counter AckFailed increments, for tests.
func AckFailures(transport, reason string) prometheus.Counter {
	return ackFailures.WithLabelValues(transport, reason)
}
