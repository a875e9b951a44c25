package slack

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/pledgebot/pledgebot/adapters/arrival"
	"github.com/pledgebot/pledgebot/metrics"
	"github.com/pledgebot/pledgebot/supervise"
	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// maxFrame is the size from which slack-go refuses an acknowledgement
// (Slack drops Socket Mode frames of 20 KB or more without a word).
const maxFrame = 20 * 1024

// ackTimeout bounds one acknowledgement: Slack wants it within 3 s, and
// one queued while the connection is down must not hold its goroutine.
const ackTimeout = 3 * time.Second

// RunSocket receives Slack's deliveries over Socket Mode (no public URL
// needed) and answers them with the same handlers as the HTTP endpoints.
// It is a supervise.Run: it returns when a connection attempt fails (so
// the supervisor retries with its backoff), when Slack refuses the app
// token for good (a supervise.Permanent error), or when ctx ends (nil).
// Routine reconnections Slack asks for are made by slack-go at once and
// reported as r.Down then r.Up.
func (a *Adapter) RunSocket(ctx context.Context, appToken string, r supervise.Reporter) error {
	if !strings.HasPrefix(appToken, "xapp-") {
		return supervise.Permanent("SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope", nil)
	}
	opts := []slackapi.Option{slackapi.OptionAppLevelToken(appToken), slackapi.OptionHTTPClient(a.http)}
	if a.o.APIURL != "" {
		u := a.o.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slackapi.OptionAPIURL(u))
	}
	smOpts := []socketmode.Option{}
	if a.o.SocketPingInterval > 0 {
		smOpts = append(smOpts, socketmode.OptionPingInterval(a.o.SocketPingInterval))
	}
	client := socketmode.New(slackapi.New(a.o.BotToken, opts...), smOpts...)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var failed error
	var mu sync.Mutex
	events := make(chan struct{})
	go func() {
		defer close(events)
		a.socketEvents(ctx, client, r, func(err error) {
			mu.Lock()
			failed = err
			mu.Unlock()
			cancel() // the supervisor retries, with its backoff
		})
	}()
	err := client.RunContext(ctx)
	cancel()
	<-events
	mu.Lock()
	defer mu.Unlock()
	switch {
	case failed != nil:
		return failed
	case err == nil || errors.Is(err, context.Canceled):
		return nil // shutting down
	}
	if why := fatalSocket(err); why != "" {
		return supervise.Permanent(why, err)
	}
	return err
}

// socketEvents reads the client's events until ctx ends: envelopes go to
// their handlers, connection events to r, and a failed connection attempt
// to fail.
func (a *Adapter) socketEvents(ctx context.Context, client *socketmode.Client, r supervise.Reporter, fail func(error)) {
	connected := false
	for {
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-client.Events:
			if !ok {
				return
			}
			switch evt.Type {
			case socketmode.EventTypeConnected:
				connected = true
				r.Up()
			case socketmode.EventTypeConnecting:
				if connected {
					connected = false
					r.Down(supervise.ReasonLost, errors.New("Socket Mode connection closed; reconnecting"))
				}
			case socketmode.EventTypeConnectionError:
				err := errors.New("Socket Mode connection failed")
				if ce, ok := evt.Data.(*slackapi.ConnectionErrorEvent); ok && ce.ErrorObj != nil {
					err = ce.ErrorObj
				}
				fail(err)
				return
			case socketmode.EventTypeErrorWriteFailed:
				metrics.AckFailed("slack-socket", "failed")
				a.log.Error("slack: Socket Mode acknowledgement could not be written; Slack will deliver the envelope again", "err", evt.Data)
			default:
				// Each envelope on its own goroutine: one slow command must
				// not hold back the next person's 3-second acknowledgement.
				at := time.Now() // the envelope's budget starts here, not on its goroutine
				a.background(func(ctx context.Context) { a.socketEvent(arrival.With(ctx, at), client, evt) })
			}
		}
	}
}

// fatalSocket says, in plain words, why err from apps.connections.open
// cannot be fixed by retrying, or returns "".
func fatalSocket(err error) string {
	switch err.Error() {
	case "invalid_auth":
		return "Slack refused SLACK_APP_TOKEN (invalid_auth): the app-level token is wrong or was deleted; create one with the connections:write scope and restart"
	case "not_authed":
		return "no app token reached Slack (not_authed): set SLACK_APP_TOKEN and restart"
	case "account_inactive":
		return "the Slack app's account is inactive (account_inactive): the workspace was deleted or the app uninstalled; reinstall it and restart"
	case "token_revoked":
		return "SLACK_APP_TOKEN was revoked (token_revoked): create a new app-level token and restart"
	}
	return ""
}

// acker is the part of the socketmode client the dispatcher needs.
type acker interface {
	AckCtx(ctx context.Context, envelopeID string, payload any) error
}

// socketEvent dispatches one Socket Mode envelope. Socket Mode connections
// are authenticated by the app token, so there is no signature to check;
// the payloads are the same JSON the HTTP endpoints receive.
func (a *Adapter) socketEvent(ctx context.Context, ack acker, evt socketmode.Event) {
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		return
	}
	req := *evt.Request
	var resp any
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		var sc SlashCommand
		if json.Unmarshal(req.Payload, &sc) != nil || sc.check() != nil {
			a.ack(ctx, ack, req, "", nil)
			return
		}
		a.Command(ctx, sc, func(resp any) { a.ack(ctx, ack, req, sc.ResponseURL, resp) })
		return
	case socketmode.EventTypeInteractive:
		cb, err := ParseInteraction(req.Payload)
		if err != nil {
			a.ack(ctx, ack, req, "", nil)
			return
		}
		a.Interaction(ctx, cb, func(resp any) { a.ack(ctx, ack, req, cb.ResponseURL, resp) })
		return
	case socketmode.EventTypeEventsAPI:
		e, err := ParseEvent(req.Payload)
		if err != nil {
			a.ack(ctx, ack, req, "", nil)
			return
		}
		if resp, err = a.Event(ctx, e); err != nil {
			return // no ack: Slack delivers it again
		}
	default:
		return
	}
	a.ack(ctx, ack, req, "", resp)
}

// ack acknowledges an envelope, with resp as its payload unless nil. A
// reply too big for one frame is acknowledged empty and posted to
// responseURL instead (split as the renderer splits any long answer);
// one with nowhere else to go is reported. A failed ack is logged and
// counted: Slack will deliver the envelope again.
func (a *Adapter) ack(ctx context.Context, ack acker, req socketmode.Request, responseURL string, resp any) {
	var big []message
	if resp != nil && frameSize(req.EnvelopeID, resp) >= maxFrame {
		metrics.AckFailed("slack-socket", "too_big")
		big, resp = asMessages(resp), nil
		if big == nil || responseURL == "" {
			a.log.Error("slack: reply too big for a Socket Mode acknowledgement and no response_url to post it to; acknowledged empty",
				"envelope", req.EnvelopeID, "type", req.Type)
		}
	}
	actx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if err := ack.AckCtx(actx, req.EnvelopeID, resp); err != nil {
		metrics.AckFailed("slack-socket", "failed")
		a.log.Error("slack: Socket Mode acknowledgement failed; Slack will deliver the envelope again", "envelope", req.EnvelopeID, "err", err)
		return
	}
	if big != nil && responseURL != "" {
		a.log.Info("slack: reply too big for one Socket Mode frame; posted to response_url", "envelope", req.EnvelopeID, "parts", len(big))
		a.postAll(ctx, responseURL, big)
	}
}

// frameSize is the size of the acknowledgement frame slack-go would send.
func frameSize(envelopeID string, payload any) int {
	js, err := json.Marshal(socketmode.Response{EnvelopeID: envelopeID, Payload: payload})
	if err != nil {
		return maxFrame
	}
	return len(js)
}

// asMessages is resp as a response_url post, or nil when it is not a
// message (a modal's answer has no other way out). The renderer has split
// it within Block Kit's limits already (Messages); a response_url post has
// no 20 KB frame limit.
func asMessages(resp any) []message {
	if m, ok := resp.(message); ok {
		return []message{m}
	}
	return nil
}
