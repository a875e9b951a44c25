package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/pledgebot/pledgebot/adapters/arrival"
	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
)

// SlashCommand is what Slack sends for a slash command: form fields over
// HTTP, the same keys as JSON in Socket Mode.
type SlashCommand struct {
	Command     string `json:"command"`
	Text        string `json:"text"`
	TeamID      string `json:"team_id"`
	UserID      string `json:"user_id"`
	UserName    string `json:"user_name"`
	ChannelID   string `json:"channel_id"`
	ResponseURL string `json:"response_url"`
	TriggerID   string `json:"trigger_id"`
}

// ParseSlashCommand decodes a form-encoded slash command and checks the
// fields the adapter relies on.
func ParseSlashCommand(body []byte) (SlashCommand, error) {
	sc, _, err := parseCommandForm(body)
	if err != nil {
		return SlashCommand{}, err
	}
	return sc, sc.check()
}

// parseCommandForm decodes a slash command's form with slack-go
// (slack.SlashCommandParse), and says whether it is Slack's ssl_check
// instead. slack-go reads the form from a request, so the signed body is
// handed to it as one; its Content-Type is fixed so that the request's own
// header (or URL query) changes nothing.
func parseCommandForm(body []byte) (sc SlashCommand, sslCheck bool, err error) {
	r := &http.Request{Method: http.MethodPost, Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body: io.NopCloser(bytes.NewReader(body))}
	s, err := slackapi.SlashCommandParse(r)
	if err != nil {
		return SlashCommand{}, false, fmt.Errorf("slash command: %w", err)
	}
	return SlashCommand{Command: s.Command, Text: s.Text, TeamID: s.TeamID, UserID: s.UserID, UserName: s.UserName,
		ChannelID: s.ChannelID, ResponseURL: s.ResponseURL, TriggerID: s.TriggerID}, r.PostForm.Get("ssl_check") == "1", nil
}

func (sc SlashCommand) check() error {
	if !strings.HasPrefix(sc.Command, "/") || len(sc.Command) > 33 {
		return errors.New("slash command: bad command name")
	}
	if !bot.ValidUser(sc.TeamID) || !bot.ValidUser(sc.UserID) {
		return errors.New("slash command: bad team or user id")
	}
	if sc.ResponseURL != "" {
		if u, err := url.Parse(sc.ResponseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") {
			return errors.New("slash command: bad response_url")
		}
	}
	return nil
}

// message is a slash command answer or a response_url post.
type message struct {
	ResponseType    string           `json:"response_type,omitempty"`
	ReplaceOriginal *bool            `json:"replace_original,omitempty"`
	Text            string           `json:"text"`
	Blocks          []slackapi.Block `json:"blocks,omitempty"`
}

const (
	ephemeral = "ephemeral"
	inChannel = "in_channel"
)

func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	sc, sslCheck, err := parseCommandForm(body)
	if err != nil {
		http.Error(w, "bad slash command", http.StatusBadRequest)
		return
	}
	if sslCheck {
		w.WriteHeader(http.StatusOK) // Slack checking the certificate: nothing to run
		return
	}
	if err := sc.check(); err != nil {
		http.Error(w, "bad slash command", http.StatusBadRequest)
		return
	}
	a.Command(r.Context(), sc, func(reply any) {
		if reply == nil {
			answerEarly(w, nil) // at the budget; the handler goes on
			return
		}
		writeJSON(w, reply)
	})
}

// slackLink is a link Slack wrote into command text: <https://x|label>,
// <mailto:a@b|a@b> or a channel, <#C1|general>.
var slackLink = regexp.MustCompile(`<((?:https?|mailto):[^|<>]*)(?:\|([^<>]*))?>|<#[A-Z0-9]+\|([^<>]*)>`)

// CommandText turns the text Slack sends (with should_escape on: &, < and >
// as entities, links and channels in <…>) back into what the person typed,
// keeping user mentions <@U…|name> for options that name a person. Output
// is escaped again when rendered.
func CommandText(s string) string {
	if !strings.ContainsAny(s, "&<") {
		return s
	}
	s = slackLink.ReplaceAllStringFunc(s, func(m string) string {
		g := slackLink.FindStringSubmatch(m)
		switch {
		case g[3] != "":
			return "#" + g[3]
		case g[2] != "":
			return g[2]
		}
		return strings.TrimPrefix(g[1], "mailto:")
	})
	return unentities.Replace(s)
}

var unentities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// Command answers a slash command. answer is called exactly once: with
// the reply when the core is done within the budget, otherwise with nil (an
// empty acknowledgement) at the budget, and the reply is posted to
// response_url when ready. The core runs on the caller's goroutine, so a
// fast command costs no hand-off; only a slow one's acknowledgement comes
// from a timer.
func (a *Adapter) Command(ctx context.Context, sc SlashCommand, answer func(any)) {
	if !a.installed(ctx, sc.TeamID) {
		answer(a.installMessage())
		return
	}
	text, share := stripShare(CommandText(sc.Text))
	name, text, optional := route(strings.ToLower(strings.TrimPrefix(sc.Command, "/")), text)
	req := bot.Request{ID: sc.TriggerID, From: bot.Identity{Platform: bot.Slack, Workspace: sc.TeamID, User: sc.UserID},
		Name: sc.UserName, Channel: sc.ChannelID, Command: name, Text: text}
	if r := a.bot.Resolve(&req); optional != "" && r.Command == nil {
		answer(a.messages(sc.TeamID, bot.ErrorReply(bot.Errorf(bot.NotFound, "/pledgebot %s is not available in this Pledgebot.", clipRunes(optional, 30))), false)[0])
		return
	}
	share = share && !a.bot.PrivateReply(req)
	if a.openModalFor(ctx, req, share) {
		answer(nil)
		return
	}
	settle := a.budget(ctx, func() { answer(nil) })
	defer settle()
	a.track(func(ctx context.Context) {
		reply := a.deliverFile(ctx, req.From.Workspace, req.From.User, a.bot.Handle(ctx, req))
		late := settle()
		if late {
			reply = a.deliverFile(ctx, req.From.Workspace, req.From.User, a.bot.Settle(ctx, req, reply))
		}
		msgs := a.messages(sc.TeamID, reply, share)
		if !late {
			answer(msgs[0])
			msgs = msgs[1:]
		}
		if len(msgs) > 0 {
			a.followUp(func(ctx context.Context) { a.postAll(ctx, sc.ResponseURL, msgs) })
		}
	})
}

// budget runs the clock on a synchronous answer (a slash command's, a
// modal submission's): onLate gives the early answer at a.o.Budget after
// the request's arrival (see package arrival) unless
// settle is called first. settle stops the clock, or waits until onLate
// has returned, and reports whether it ran: then the result must go the
// deferred way. Defer settle as well, so that not even a panic leaves the
// timer to write to a finished response.
func (a *Adapter) budget(ctx context.Context, onLate func()) (settle func() bool) {
	var once sync.Once
	late := false
	timer := time.AfterFunc(time.Until(arrival.By(ctx, a.o.Budget)), func() { once.Do(func() { late = true; onLate() }) })
	return func() bool {
		timer.Stop()
		once.Do(func() {})
		return late
	}
}

// route maps a Slack command onto the core's. /pledgebot is the app's own
// umbrella for the core commands whose names are too generic for a Slack
// workspace: help, roles and settings. optional is the word as typed when
// it names one this Pledgebot may lack (roles, settings): the caller says
// so when the bot's resolver does not find it.
func route(name, text string) (command, rest, optional string) {
	if name != "pledgebot" {
		return name, text, ""
	}
	first, rest := bot.SplitWord(text)
	switch strings.ToLower(first) {
	case "", "help":
		return "help", rest, ""
	case "roles", "settings":
		return strings.ToLower(first), rest, first
	}
	return "help", text, "" // "/pledgebot pledge" explains /pledge
}

// Umbrella lists the core commands reached through /pledgebot rather than a
// slash command of their own.
var Umbrella = []string{"help", "roles", "settings"}

// stripShare removes share:yes (or share:no) words outside quotes: they
// choose where the answer goes and are no option of any command.
func stripShare(text string) (string, bool) {
	share := false
	var out []string
	inQuote := false
	for _, w := range strings.Split(text, " ") {
		if !inQuote {
			switch strings.ToLower(w) {
			case "share:yes":
				share = true
				continue
			case "share:no":
				continue
			}
		}
		if strings.Count(w, `"`)%2 == 1 {
			inQuote = !inQuote
		}
		out = append(out, w)
	}
	return strings.Join(out, " "), share
}

// messages renders a reply as one or more Slack messages. Refusals are
// always ephemeral; the rest go in channel when shared.
func (a *Adapter) messages(team string, reply bot.Reply, share bool) []message {
	r := a.renderer(team)
	kind := ephemeral
	if (share || reply.Public) && reply.Err == nil {
		kind = inChannel
	}
	parts := Messages(r.Blocks(reply))
	out := make([]message, len(parts))
	for i, blocks := range parts {
		text := r.fallback(reply)
		if len(parts) > 1 {
			text = fmt.Sprintf("(part %d of %d) %s", i+1, len(parts), text)
		}
		out[i] = message{ResponseType: kind, Text: text, Blocks: blocks}
	}
	return out
}

// maxResponsePosts is how many times Slack accepts a response_url.
const maxResponsePosts = 5

// postAll posts messages to a response_url; past Slack's limit of five posts
// the last one says how much could not be shown instead of failing silently.
func (a *Adapter) postAll(ctx context.Context, responseURL string, msgs []message) {
	if responseURL == "" {
		return
	}
	if len(msgs) > maxResponsePosts {
		left := len(msgs) - maxResponsePosts + 1
		msgs = append(msgs[:maxResponsePosts-1], message{ResponseType: ephemeral,
			Text: fmt.Sprintf("%d more parts of this answer did not fit in Slack's reply limit; narrow the command (e.g. business: or theme:) to see them.", left)})
	}
	for _, m := range msgs {
		if err := a.post(ctx, responseURL, m); err != nil {
			a.log.Warn("slack: response_url post failed", "err", err)
			return
		}
	}
}

func (a *Adapter) post(ctx context.Context, responseURL string, m any) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("response_url: %s", resp.Status)
	}
	return nil
}
