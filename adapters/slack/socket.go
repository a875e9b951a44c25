package slack

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// RunSocket receives Slack's deliveries over Socket Mode (no public URL
// needed) and answers them with the same handlers as the HTTP endpoints.
// It returns when ctx ends.
func (a *Adapter) RunSocket(ctx context.Context, appToken string) error {
	if !strings.HasPrefix(appToken, "xapp-") {
		return errors.New("SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope")
	}
	opts := []slackapi.Option{slackapi.OptionAppLevelToken(appToken), slackapi.OptionHTTPClient(a.http)}
	if a.o.APIURL != "" {
		u := a.o.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slackapi.OptionAPIURL(u))
	}
	client := socketmode.New(slackapi.New(a.o.BotToken, opts...))
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt, ok := <-client.Events:
				if !ok {
					return
				}
				// Each envelope on its own goroutine: one slow command must
				// not hold back the next person's 3-second acknowledgement.
				a.background(func(ctx context.Context) { a.socketEvent(ctx, client, evt) })
			}
		}
	}()
	err := client.RunContext(ctx)
	if ctx.Err() != nil {
		return nil // shutting down
	}
	return err
}

// acker is the part of the socketmode client the dispatcher needs.
type acker interface {
	Ack(req socketmode.Request, payload ...any) error
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
			ack.Ack(req)
			return
		}
		a.Command(ctx, sc, func(resp any) { acknowledge(ack, req, resp) })
		return
	case socketmode.EventTypeInteractive:
		cb, err := ParseInteraction(req.Payload)
		if err != nil {
			ack.Ack(req)
			return
		}
		a.Interaction(ctx, cb, func(resp any) { acknowledge(ack, req, resp) })
		return
	case socketmode.EventTypeEventsAPI:
		e, err := ParseEvent(req.Payload)
		if err != nil {
			ack.Ack(req)
			return
		}
		if resp, err = a.Event(ctx, e); err != nil {
			return // no ack: Slack delivers it again
		}
	default:
		return
	}
	acknowledge(ack, req, resp)
}

// acknowledge acks an envelope, with a payload unless resp is nil.
func acknowledge(ack acker, req socketmode.Request, resp any) {
	if resp == nil {
		ack.Ack(req)
		return
	}
	ack.Ack(req, resp)
}
