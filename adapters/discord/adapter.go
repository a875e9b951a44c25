package discord

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/adapters/arrival"
	"github.com/pledgebot/pledgebot/bot"
)

// DefaultDeferAfter is how long a command may run before the first answer
// becomes "thinking…" (type 5): Discord wants one within 3 seconds.
const DefaultDeferAfter = 2 * time.Second

// followupWindow bounds work after a deferred answer: interaction tokens
// live 15 minutes.
const followupWindow = 14 * time.Minute

// Options configure an Adapter.
type Options struct {
	Bot *bot.Bot
	// Session is the REST client (and, with a bot token, the gateway).
	// HTTP-interactions-only mode needs no token: webhook edits are
	// authorised by the interaction token.
	Session *discordgo.Session
	// PublicKey verifies HTTP interactions; nil refuses them all.
	PublicKey ed25519.PublicKey
	Logger    *slog.Logger
	// Now is the clock for signature timestamps (default time.Now).
	Now func() time.Time
	// DeferAfter overrides DefaultDeferAfter (tests use a tiny value). It
	// also bounds an autocomplete lookup, which has no deferred answer.
	DeferAfter time.Duration
}

// Adapter turns Discord interactions into bot requests and replies into
// embeds, and sends notices.
type Adapter struct {
	bot        *bot.Bot
	session    *discordgo.Session
	publicKey  ed25519.PublicKey
	log        *slog.Logger
	now        func() time.Time
	deferAfter time.Duration
	wg         inflight

	gw session // the gateway session, resumed across connections
}

// New builds an adapter.
func New(o Options) *Adapter {
	a := &Adapter{bot: o.Bot, session: o.Session, publicKey: o.PublicKey, log: o.Logger, now: o.Now, deferAfter: o.DeferAfter}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.deferAfter <= 0 {
		a.deferAfter = DefaultDeferAfter
	}
	return a
}

// Wait blocks until follow-ups of deferred answers are sent (shutdown, tests).
func (a *Adapter) Wait() { a.wg.Wait() }

// respondFunc sends the first answer to an interaction: the HTTP response
// body, or the callback endpoint for gateway interactions.
type respondFunc func(*discordgo.InteractionResponse) error

// Interact answers one interaction, from HTTP or the gateway alike. Its
// first answer is due a.deferAfter after the arrival ctx records (see
// arrival.With), or after the call when ctx records none.
func (a *Adapter) Interact(ctx context.Context, i *discordgo.Interaction, respond respondFunc) {
	if i.Type == discordgo.InteractionPing {
		a.send(i, respond, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	from, name, ok := identity(i)
	if !ok {
		msg := "I can't tell who you are, so I can't run that."
		if i.GuildID == "" {
			msg = "Pledgebot works inside a server: use its commands in a channel of your business network's server."
		}
		a.send(i, respond, a.immediate(bot.ErrorReply(bot.Errorf(bot.Invalid, "%s", msg)), false))
		return
	}
	req := bot.Request{ID: i.ID, From: from, Name: name, Channel: i.ChannelID}
	community := a.bot.Tenancy().Community(bot.Discord, i.GuildID)
	var share bool
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.send(i, respond, a.autocompleteInTime(ctx, i, from, community))
		return
	case discordgo.InteractionApplicationCommand:
		d := i.ApplicationCommandData()
		s, err := commandOptions(a.bot, d)
		if err != nil {
			a.send(i, respond, a.immediate(bot.ErrorReply(err), false))
			return
		}
		share = s.Share
		// Resolved as the text path reads it, so an unknown command or no
		// subcommand gets the core's help or clear refusal.
		req.Command, req.Text, req.Resolved = s.Command, s.Sub, s.Resolved
		if sub := s.spec(); sub != nil {
			cmd := s.Resolved.Command
			if m := modalFor(cmd, sub, s.Raw, share); m != nil {
				a.send(i, respond, m)
				return
			}
			args, err := cmd.Typed(sub, s.Raw, a.bot.Choices(community))
			if err != nil {
				a.send(i, respond, a.immediate(bot.ErrorReply(err), false))
				return
			}
			req.Text, req.Sub, req.Args = "", s.Sub, args
		}
	case discordgo.InteractionMessageComponent:
		cmdText, ok := strings.CutPrefix(i.MessageComponentData().CustomID, runPrefix)
		if !ok {
			a.send(i, respond, a.immediate(bot.ErrorReply(bot.Errorf(bot.Invalid, "That button is from an older version; run the command again.")), false))
			return
		}
		req.Command, req.Text, _ = strings.Cut(cmdText, " ")
		if m := a.buttonModal(&req); m != nil {
			a.send(i, respond, m)
			return
		}
	case discordgo.InteractionModalSubmit:
		d := i.ModalSubmitData()
		command, subName, raw, sh, ok := parseModalID(d.CustomID)
		req.Command, req.Sub = command, subName
		var r *bot.Resolved
		if ok {
			r = a.bot.Resolve(&req)
		}
		if !ok || r.Sub == nil || r.Defaulted {
			a.send(i, respond, a.immediate(bot.ErrorReply(bot.Errorf(bot.Invalid, "That form is from an older version; run the command again.")), false))
			return
		}
		cmd, sub := r.Command, r.Sub
		for k, v := range modalValues(d.Components) {
			if v = strings.TrimSpace(v); v != "" {
				raw[k] = v
			}
		}
		args, err := cmd.Typed(sub, raw, a.bot.Choices(community))
		if err != nil {
			a.send(i, respond, a.immediate(bot.ErrorReply(err), false))
			return
		}
		share = sh
		req.Command, req.Sub, req.Args = command, sub.Name, args
	default:
		a.send(i, respond, a.immediate(bot.ErrorReply(bot.Errorf(bot.Invalid, "Pledgebot can't handle that kind of interaction.")), false))
		return
	}
	a.run(ctx, i, respond, req, share)
}

// buttonModal opens a form when a button's command still needs input, as
// "Log progress" needs the amount. It resolves the request, which keeps
// the resolution for Handle when no form opens.
func (a *Adapter) buttonModal(req *bot.Request) *discordgo.InteractionResponse {
	r := a.bot.Resolve(req)
	if r.Sub == nil || r.Defaulted || r.Help {
		return nil
	}
	raw, err := r.Command.Split(r.Sub, r.Text)
	if err != nil {
		return nil // the command runs, and its refusal says why
	}
	return modalFor(r.Command, r.Sub, raw, false)
}

// run handles the request, answering at once when the command is quick and
// with a deferred answer edited later when it is slow, needs several
// messages or carries a file (attachments go as multipart through the
// webhook).
func (a *Adapter) run(ctx context.Context, i *discordgo.Interaction, respond respondFunc, req bot.Request, share bool) {
	share = share && !a.bot.PrivateReply(req)
	work, cancel := context.WithTimeout(context.WithoutCancel(ctx), followupWindow)
	done := make(chan bot.Reply, 1)
	go func() { done <- a.bot.Handle(work, req) }()
	timer := time.NewTimer(time.Until(arrival.By(ctx, a.deferAfter)))
	defer timer.Stop()
	select {
	case r := <-done:
		cancel()
		msgs := render(a.bot, r)
		if len(msgs) == 1 && msgs[0].File == nil {
			a.send(i, respond, a.response(msgs[0], share || (r.Public && r.Err == nil)))
			return
		}
		if !a.send(i, respond, deferred(share)) {
			return
		}
		a.wg.Add()
		go func() {
			defer a.wg.Done()
			a.followUp(i, msgs, share)
		}()
	case <-timer.C:
		if !a.send(i, respond, deferred(share)) {
			cancel()
			return
		}
		a.wg.Add()
		go func() {
			defer a.wg.Done()
			defer cancel()
			r := a.bot.Settle(work, req, <-done)
			a.followUp(i, render(a.bot, r), share)
		}()
	}
}

func deferred(share bool) *discordgo.InteractionResponse {
	r := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{}}
	if !share {
		r.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	return r
}

// followUp edits the deferred answer into the first message and sends the
// rest as follow-up messages through the interaction webhook.
func (a *Adapter) followUp(i *discordgo.Interaction, msgs []message, share bool) {
	ctx, cancel := context.WithTimeout(context.Background(), followupWindow)
	defer cancel()
	first := msgs[0]
	edit := &discordgo.WebhookEdit{Embeds: &first.Embeds, AllowedMentions: noMentions(), Files: first.files()}
	if first.Components != nil {
		edit.Components = &first.Components
	}
	if _, err := a.session.InteractionResponseEdit(i, edit, discordgo.WithContext(ctx)); err != nil {
		a.log.Error("discord: editing deferred answer", "interaction", i.ID, "err", err)
		return
	}
	for _, m := range msgs[1:] {
		p := &discordgo.WebhookParams{Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions(), Files: m.files()}
		if !share {
			p.Flags = discordgo.MessageFlagsEphemeral
		}
		if _, err := a.session.FollowupMessageCreate(i, true, p, discordgo.WithContext(ctx)); err != nil {
			a.log.Error("discord: sending follow-up", "interaction", i.ID, "err", err)
			return
		}
	}
}

// immediate renders a reply that fits one message (refusals) as a type 4
// answer.
func (a *Adapter) immediate(r bot.Reply, share bool) *discordgo.InteractionResponse {
	return a.response(render(a.bot, r)[0], share)
}

func (a *Adapter) response(m message, share bool) *discordgo.InteractionResponse {
	d := &discordgo.InteractionResponseData{Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions()}
	if !share {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d}
}

func (a *Adapter) send(i *discordgo.Interaction, respond respondFunc, r *discordgo.InteractionResponse) bool {
	if err := respond(r); err != nil {
		a.log.Error("discord: answering interaction", "interaction", i.ID, "err", err)
		return false
	}
	return true
}
