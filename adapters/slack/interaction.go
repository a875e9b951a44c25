package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
)

// ParseInteraction decodes the payload of an interaction (the "payload" form
// field over HTTP, the envelope's payload in Socket Mode). Already slack-go's:
// the payload is unmarshalled into slack.InteractionCallback.
func ParseInteraction(payload []byte) (*slackapi.InteractionCallback, error) {
	var cb slackapi.InteractionCallback
	if err := json.Unmarshal(payload, &cb); err != nil {
		return nil, err
	}
	if !bot.ValidUser(cb.Team.ID) || !bot.ValidUser(cb.User.ID) {
		return nil, errors.New("interaction: bad team or user id")
	}
	if cb.ResponseURL != "" {
		if u, err := url.Parse(cb.ResponseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") {
			return nil, errors.New("interaction: bad response_url")
		}
	}
	return &cb, nil
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	cb, err := ParseInteraction([]byte(v.Get("payload")))
	if err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	a.Interaction(r.Context(), cb, func(resp any) { answerEarly(w, resp) })
}

// Interaction handles a button press or a modal submission. answer is
// called exactly once with the acknowledgement body (nil for an empty 200),
// within the budget; a modal submission's work may go on after it (see
// submit).
func (a *Adapter) Interaction(ctx context.Context, cb *slackapi.InteractionCallback, answer func(any)) {
	if !a.installed(ctx, cb.Team.ID) {
		answer(nil) // its buttons and forms came from before an uninstall: nothing to do
		return
	}
	switch cb.Type {
	case slackapi.InteractionTypeViewSubmission:
		if cb.View.CallbackID == modalCallback {
			a.submit(ctx, cb, answer)
			return
		}
	case slackapi.InteractionTypeBlockActions:
		for _, act := range cb.ActionCallback.BlockActions {
			if act != nil && strings.HasPrefix(act.ActionID, actionPrefix) {
				a.press(ctx, cb, act.Value)
			}
		}
	}
	answer(nil)
}

// press runs a button's command as the person who pressed it, so every
// permission check applies to them. A command that still needs input (Log
// progress needs an amount) opens its modal instead.
func (a *Adapter) press(ctx context.Context, cb *slackapi.InteractionCallback, command string) {
	name, rest := bot.SplitWord(command)
	req := bot.Request{ID: cb.TriggerID, From: bot.Identity{Platform: bot.Slack, Workspace: cb.Team.ID, User: cb.User.ID},
		Name: cb.User.Name, Channel: cb.Channel.ID, Command: name, Text: rest}
	if r := a.bot.Resolve(&req); named(r) {
		// A command the splitter refuses runs, and its refusal says why.
		if fixed, err := r.Command.Split(r.Sub, r.Text); err == nil && needsInput(r.Sub, fixed) {
			if a.openModal(ctx, req, r.Command, r.Sub, fixed) == nil {
				return
			}
		}
	}
	fromHome := cb.View.Type == slackapi.VTHomeTab
	responseURL := cb.ResponseURL
	a.background(func(ctx context.Context) {
		reply := a.bot.Handle(ctx, req)
		msgs := a.messages(cb.Team.ID, reply, false)
		if responseURL != "" {
			f := false
			for i := range msgs {
				msgs[i].ReplaceOriginal = &f
			}
			a.postAll(ctx, responseURL, msgs)
		} else if err := a.Send(ctx, bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: cb.Team.ID, User: cb.User.ID}, Reply: reply}); err != nil {
			a.log.Warn("slack: could not send a button's result", "err", err)
		}
		if fromHome {
			a.publishHome(ctx, req.From)
		}
	})
}
