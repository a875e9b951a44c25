package bot

import "strings"

// Resolved is what a request names in the command spec. Bot.Resolve finds
// it once and records it in Request.Resolved, so that the adapter (which
// may open a form instead), PrivateReply and Handle all read the same
// answer instead of each looking the command up again.
type Resolved struct {
	// Command is nil when the request names no registered command; Err
	// then says so.
	Command *Command
	// Sub is nil when the request asks for the command's help (no
	// subcommand, or "help") or names no subcommand of it (Err).
	Sub *Subcommand
	// Text is what the request says after the subcommand's name: what the
	// text parser reads when the request carries no Args.
	Text string
	// Help says the text after the subcommand asks for its help:
	// /pledge add help.
	Help bool
	// Defaulted says the text named no subcommand, so Sub is the
	// command's Default one (/summary period:2026). Adapters open a form
	// only for a subcommand the person named.
	Defaulted bool
	// Err is the refusal for a command or subcommand that does not exist.
	Err error
}

// Resolve finds the command and subcommand a request names and the text
// left for the parser, records them in req.Resolved and returns them. A
// request already resolved keeps its resolution, so adapters may resolve
// early (to open a form or keep a private reply private) and Handle uses
// what they found.
//
// A request with Args or Sub names its subcommand outright (a platform's
// own subcommand field, a submitted form); otherwise the subcommand is the
// first word of Text, or the command's Default one when that word names
// none.
func (b *Bot) Resolve(req *Request) *Resolved {
	if req.Resolved != nil {
		return req.Resolved
	}
	if b.onResolve != nil {
		b.onResolve(*req)
	}
	r := &Resolved{}
	req.Resolved = r
	cmd, ok := b.commands[strings.ToLower(req.Command)]
	if !ok {
		r.Err = Errorf(NotFound, "There is no /%s command.%s Try /help.", clip(req.Command, 30), DidYouMean(req.Command, b.order, "/%s"))
		return r
	}
	r.Command = cmd
	b.pickSub(r, req)
	return r
}

// pickSub finds the subcommand a request names into r; a nil Sub means
// "show help".
func (b *Bot) pickSub(r *Resolved, req *Request) {
	cmd := r.Command
	if len(cmd.Subs) == 1 && cmd.Subs[0].Name == "" {
		r.Sub, r.Text = cmd.Subs[0], req.Text
		r.Help = req.Args == nil && isHelpWord(r.Text)
		return
	}
	typed := req.Args != nil || req.Sub != ""
	name, rest := req.Sub, req.Text
	if !typed {
		name, rest = SplitWord(req.Text)
		name = strings.ToLower(name)
	}
	if name == "help" {
		return
	}
	sub := cmd.Sub(name)
	if def := cmd.DefaultSub(); sub == nil && def != nil && !typed {
		r.Sub, r.Text, r.Defaulted = def, req.Text, true
		r.Help = isHelpWord(r.Text)
		return
	}
	if name == "" {
		return
	}
	if sub == nil {
		r.Err = Errorf(Invalid, "/%s has no %q.%s Try one of: %s.", cmd.Name, clip(name, 30),
			DidYouMean(name, visibleSubs(cmd), "/"+cmd.Name+" %s"), strings.Join(visibleSubs(cmd), ", "))
		return
	}
	r.Sub, r.Text = sub, rest
	r.Help = req.Args == nil && isHelpWord(rest)
}

// SplitWord splits a command line at its first space, after trimming it:
// the command or subcommand's name, and the rest as typed. Adapters reading
// button commands ("pledge done 7") split them with it too.
func SplitWord(line string) (first, rest string) {
	first, rest, _ = strings.Cut(strings.TrimSpace(line), " ")
	return first, rest
}
