package slack

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
)

// A modal is derived from a subcommand's spec: one input per option not
// already known. What is known (the pledge a button was on) travels in
// private_metadata, and the submission goes through Command.Typed, the
// same validator the text parser ends in.

const modalCallback = "pb:modal"

// modalState is a modal's private_metadata.
type modalState struct {
	Command string            `json:"c"`
	Sub     string            `json:"s"`
	Fixed   map[string]string `json:"f,omitempty"`
	Channel string            `json:"ch,omitempty"`
}

// maxMetadata is Slack's limit on private_metadata.
const maxMetadata = 3000

// openModalFor opens a modal instead of running a slash command given with
// no text when its subcommand needs some (/pledge add). It reports whether
// it did; a failed views.open falls back to running the command, whose
// usage error then tells the person what to type.
func (a *Adapter) openModalFor(ctx context.Context, req bot.Request, share bool) bool {
	r := a.bot.Resolve(&req)
	if req.ID == "" || !named(r) || strings.TrimSpace(r.Text) != "" || !needsInput(r.Sub, nil) {
		return false
	}
	return a.openModal(ctx, req, r.Command, r.Sub, nil) == nil
}

// named says a request names a subcommand of its own, one a form can ask
// for: not a command without subcommands, not the Default one the text
// fell to, not a request for help.
func named(r *bot.Resolved) bool {
	return r.Sub != nil && r.Sub.Name != "" && !r.Defaulted && !r.Help
}

// needsInput reports whether a required option is missing from fixed.
func needsInput(sub *bot.Subcommand, fixed map[string]string) bool {
	for _, o := range sub.Options {
		if _, ok := fixed[o.Name]; o.Required && !ok {
			return true
		}
	}
	return false
}

func (a *Adapter) openModal(ctx context.Context, req bot.Request, cmd *bot.Command, sub *bot.Subcommand, fixed map[string]string) error {
	st := modalState{Command: cmd.Name, Sub: sub.Name, Fixed: fixed, Channel: req.Channel}
	meta, err := json.Marshal(st)
	if err != nil || len(meta) > maxMetadata {
		return errNoModal
	}
	community := a.bot.Tenancy().Community(bot.Slack, req.From.Workspace)
	view := a.modalView(community, cmd, sub, fixed)
	view.PrivateMetadata = string(meta)
	api, err := a.client(ctx, req.From.Workspace)
	if err == nil {
		_, err = api.OpenViewContext(ctx, req.ID, view)
	}
	if err != nil {
		a.log.Warn("slack: views.open failed", "command", cmd.Name, "sub", sub.Name, "err", err)
	}
	return err
}

type modalError string

func (e modalError) Error() string { return string(e) }

const errNoModal = modalError("slack: this command cannot be shown as a form")

func plain(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, false, false)
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "-", " ")
}

// modalView builds the form for a subcommand from its options.
func (a *Adapter) modalView(community string, cmd *bot.Command, sub *bot.Subcommand, fixed map[string]string) slackapi.ModalViewRequest {
	var blocks []slackapi.Block
	var known []string
	for _, o := range sub.Options {
		if v, ok := fixed[o.Name]; ok {
			known = append(known, o.Name+": "+v)
		}
	}
	if len(known) > 0 {
		blocks = append(blocks, slackapi.NewContextBlock("pb:known", slackapi.NewTextBlockObject(slackapi.MarkdownType, escape(strings.Join(known, " · ")), false, false)))
	}
	for _, o := range sub.Options {
		if _, ok := fixed[o.Name]; ok {
			continue
		}
		in := slackapi.NewInputBlock(o.Name, plain(clipRunes(title(o.Name), 2000)), nil, a.element(community, o))
		if o.Help != "" {
			in.Hint = plain(clipRunes(o.Help, 2000))
		}
		in.Optional = !o.Required
		blocks = append(blocks, in)
	}
	return slackapi.ModalViewRequest{
		Type:       slackapi.VTModal,
		Title:      plain(clipRunes(title(cmd.Name)+": "+sub.Name, 24)),
		Submit:     plain("Save"),
		Close:      plain("Cancel"),
		CallbackID: modalCallback,
		Blocks:     slackapi.Blocks{BlockSet: blocks},
	}
}

// element picks the input that fits an option's type.
func (a *Adapter) element(community string, o bot.Option) slackapi.BlockElement {
	switch o.Type {
	case bot.Number:
		return slackapi.NewNumberInputBlockElement(nil, o.Name, true)
	case bot.Ref:
		return slackapi.NewNumberInputBlockElement(nil, o.Name, false)
	case bot.Date:
		return slackapi.NewDatePickerBlockElement(o.Name)
	case bot.User:
		return slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeUser, nil, o.Name)
	case bot.Choice:
		var opts []*slackapi.OptionBlockObject
		if o.Dynamic == "themes" {
			for _, t := range a.bot.Themes(community) {
				opts = append(opts, slackapi.NewOptionBlockObject(t.Key, plain(clipRunes(t.Name, 75)), nil))
			}
		} else {
			for _, c := range o.Choices {
				opts = append(opts, slackapi.NewOptionBlockObject(c, plain(clipRunes(c, 75)), nil))
			}
		}
		if len(opts) > 0 && len(opts) <= 100 { // Slack's limits for a static select
			return slackapi.NewOptionsSelectBlockElement(slackapi.OptTypeStatic, nil, o.Name, opts...)
		}
		// Otherwise typed in, and checked like any typed choice.
	}
	el := slackapi.NewPlainTextInputBlockElement(nil, o.Name)
	el.Multiline = o.Rest
	limit := o.Max
	if limit == 0 {
		limit = bot.MaxText
	}
	el.MaxLength = min(limit, 3000)
	return el
}

// submission is a view_submission answer.
type submission struct {
	Action string                     `json:"response_action"`
	Errors map[string]string          `json:"errors,omitempty"`
	View   *slackapi.ModalViewRequest `json:"view,omitempty"`
}

// submit validates a modal with the command's own validator and runs it.
// Any refusal comes back inline on the field it is about, so the person
// fixes it without retyping the rest. answer is called exactly once.
//
// The command runs like a slash command, under the adapter's context and
// the budget's clock: when it is done within the budget, the modal shows
// its result (or the refusal). When it is not (Redis is slow), the modal
// is answered at the budget with a note that the work is being saved, the
// work goes on, and the outcome follows by direct message. Its request id
// is the view's id, the same for every press of Save on one form, so a
// press repeated after a slow answer acts once.
func (a *Adapter) submit(ctx context.Context, cb *slackapi.InteractionCallback, answer func(any)) {
	var st modalState
	if json.Unmarshal([]byte(cb.View.PrivateMetadata), &st) != nil {
		answer(nil)
		return
	}
	team := cb.Team.ID
	req := bot.Request{From: bot.Identity{Platform: bot.Slack, Workspace: team, User: cb.User.ID},
		Name: cb.User.Name, Channel: st.Channel, Command: st.Command, Sub: st.Sub}
	r := a.bot.Resolve(&req)
	if r.Sub == nil || r.Defaulted {
		answer(nil) // a form for something this Pledgebot no longer has
		return
	}
	cmd, sub := r.Command, r.Sub
	community := a.bot.Tenancy().Community(bot.Slack, team)
	choices := a.bot.Choices(community)
	raw := map[string]string{}
	for k, v := range st.Fixed {
		raw[k] = v
	}
	var first string // first input block, where errors not about one field go
	errs := map[string]string{}
	for _, o := range sub.Options {
		if _, ok := st.Fixed[o.Name]; ok {
			continue
		}
		if first == "" {
			first = o.Name
		}
		v := ""
		if cb.View.State != nil {
			v = inputValue(cb.View.State.Values[o.Name][o.Name])
		}
		if strings.TrimSpace(v) == "" {
			if o.Required {
				errs[o.Name] = "Please fill this in."
			}
			continue
		}
		raw[o.Name] = v
		if _, err := o.Value(v, choices); err != nil {
			errs[o.Name] = sentence(err.Error())
		}
	}
	if len(errs) > 0 {
		answer(submission{Action: "errors", Errors: errs})
		return
	}
	args, err := cmd.Typed(sub, raw, choices)
	if err != nil {
		answer(a.fieldError(sub, first, bot.ErrorMessage(err), st.Fixed))
		return
	}
	id := cb.View.ID
	if id == "" {
		id = cb.TriggerID
	}
	req.ID, req.Args = id, args
	if !req.From.Valid() {
		answer(nil)
		return
	}
	settle := a.budget(ctx, func() { answer(savingModal()) })
	defer settle()
	a.track(func(ctx context.Context) {
		reply := a.bot.Handle(ctx, req)
		if !settle() {
			if reply.Err != nil {
				answer(a.fieldError(sub, first, reply.Err.Message, st.Fixed))
				return
			}
			answer(a.resultModal(team, reply))
			return
		}
		reply = a.bot.Settle(ctx, req, reply)
		to := bot.Recipient{Platform: bot.Slack, Workspace: team, User: cb.User.ID}
		if err := a.Send(ctx, bot.Notice{To: to, Reply: reply}); err != nil {
			a.log.Warn("slack: could not send a late form's outcome", "command", cmd.Name, "sub", sub.Name, "err", err)
		}
	})
}

// resultModal shows a command's reply in place of the form.
func (a *Adapter) resultModal(team string, reply bot.Reply) submission {
	reply.Actions = nil // buttons inside a modal would need views.push; the result is final
	for i := range reply.Items {
		reply.Items[i].Actions = nil
	}
	blocks := a.renderer(team).Blocks(reply)
	if len(blocks) > 100 {
		blocks = append(blocks[:99], section("…and more: run the command again in a channel to see all of it."))
	}
	view := slackapi.ModalViewRequest{Type: slackapi.VTModal, Title: plain("Pledgebot"), Close: plain("Close"),
		Blocks: slackapi.Blocks{BlockSet: blocks}}
	return submission{Action: "update", View: &view}
}

// savingModal replaces a form whose work outlasts the budget: no Save
// button to press twice, and a word on where the outcome will come.
func savingModal() submission {
	view := slackapi.ModalViewRequest{Type: slackapi.VTModal, Title: plain("Pledgebot"), Close: plain("Close"),
		Blocks: slackapi.Blocks{BlockSet: []slackapi.Block{section(
			"Saving… this is taking longer than usual. You can close this form: I'll send you a message when it's done.")}}}
	return submission{Action: "update", View: &view}
}

// fieldError puts a refusal on the input it names ("due:…" names due) or
// on the first input.
func (a *Adapter) fieldError(sub *bot.Subcommand, first, msg string, fixed map[string]string) any {
	block := first
	for _, o := range sub.Options {
		if _, ok := fixed[o.Name]; !ok && strings.Contains(strings.ToLower(msg), o.Name+":") {
			block = o.Name
			break
		}
	}
	msg = bot.RenderMentions(msg, func(s string) string { return s }, bot.PlainMention)
	if block == "" {
		return submission{Action: "errors", Errors: map[string]string{"pb:known": msg}}
	}
	return submission{Action: "errors", Errors: map[string]string{block: msg}}
}

// inputValue is the submitted value of any element modalView uses.
func inputValue(v slackapi.BlockAction) string {
	switch {
	case v.SelectedOption.Value != "":
		return v.SelectedOption.Value
	case v.SelectedDate != "":
		return v.SelectedDate
	case v.SelectedUser != "":
		return v.SelectedUser
	}
	return v.Value
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
