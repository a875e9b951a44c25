package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Sender delivers notices on one platform. Adapters that can send by
// themselves (not only reply) register one.
type Sender interface {
	Send(ctx context.Context, n Notice) error
}

// Bot routes requests from any number of adapters to command handlers.
type Bot struct {
	store    Store
	tenancy  *Tenancy
	themes   []Theme
	reports  ReportConfig
	log      *slog.Logger
	now      func() time.Time
	zone     func(community string) *time.Location
	commands map[string]*Command
	order    []string

	mu      sync.RWMutex
	senders map[Platform]Sender

	observe     func(CommandEvent)
	observeSend func(SendEvent)
	inflight    inflight

	// onResolve, set by tests, hears of every resolution Resolve makes.
	onResolve func(Request)
}

// Options configure a Bot.
type Options struct {
	Store   Store
	Tenancy *Tenancy
	Themes  []Theme
	Reports ReportConfig
	Logger  *slog.Logger
	Now     func() time.Time
	// Zone is a community's time zone, in which dates people type are
	// read; Europe/London when unset.
	Zone func(community string) *time.Location
	// Observe and ObserveSend, when set, hear of every handled command and
	// every Deliver call (package metrics counts them). They run on the
	// caller's goroutine, so they must be quick.
	Observe     func(CommandEvent)
	ObserveSend func(SendEvent)
}

// New builds a bot with no commands; Register adds them.
func New(o Options) *Bot {
	b := &Bot{store: o.Store, tenancy: o.Tenancy, themes: o.Themes, reports: o.Reports, log: o.Logger, now: o.Now, zone: o.Zone,
		commands: map[string]*Command{}, senders: map[Platform]Sender{},
		observe: o.Observe, observeSend: o.ObserveSend}
	if b.tenancy == nil {
		b.tenancy = NewTenancy(nil)
	}
	if b.log == nil {
		b.log = slog.Default()
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.zone == nil {
		london, err := time.LoadLocation("Europe/London")
		if err != nil {
			london = time.UTC
		}
		b.zone = func(string) *time.Location { return london }
	}
	return b
}

// Register adds commands to the router.
func (b *Bot) Register(cs ...*Command) {
	for _, c := range cs {
		if _, dup := b.commands[c.Name]; !dup {
			b.order = append(b.order, c.Name)
		}
		b.commands[c.Name] = c
	}
}

// Commands lists the registered commands in registration order.
func (b *Bot) Commands() []*Command {
	out := make([]*Command, 0, len(b.order))
	for _, n := range b.order {
		out = append(out, b.commands[n])
	}
	return out
}

// Command finds a registered command.
func (b *Bot) Command(name string) *Command { return b.commands[name] }

// Store is the bot's persistence.
func (b *Bot) Store() Store { return b.store }

// Tenancy maps workspaces to communities.
func (b *Bot) Tenancy() *Tenancy { return b.tenancy }

// Now is the bot's clock.
func (b *Bot) Now() time.Time { return b.now() }

// Today is the day it is in a community's time zone, as a date: midnight
// UTC of that day, as every date the bot keeps.
func (b *Bot) Today(community string) time.Time { return TodayIn(b.now(), b.zone(community)) }

// Themes lists the pledge themes of a community.
func (b *Bot) Themes(community string) []Theme { return b.themes }

// Theme finds a theme by key.
func (b *Bot) Theme(community, key string) (Theme, bool) {
	for _, t := range b.Themes(community) {
		if t.Key == key {
			return t, true
		}
	}
	return Theme{}, false
}

// Choices returns runtime choice lists for the parser.
func (b *Bot) Choices(community string) ChoiceSource {
	return func(name string) []string {
		if name != "themes" {
			return nil
		}
		var keys []string
		for _, t := range b.Themes(community) {
			keys = append(keys, t.Key)
		}
		return keys
	}
}

// AddSender registers the sender for a platform's notices.
func (b *Bot) AddSender(p Platform, s Sender) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.senders[p] = s
}

// Deliver sends a notice through the adapter of its platform.
func (b *Bot) Deliver(ctx context.Context, n Notice) (err error) {
	defer b.inflight.add()()
	start := time.Now()
	b.mu.RLock()
	s, ok := b.senders[n.To.Platform]
	b.mu.RUnlock()
	if b.observeSend != nil {
		defer func() {
			outcome := "ok"
			if !ok {
				outcome = "no_adapter"
			} else if errors.Is(err, ErrHeld) {
				outcome = "held" // kept for later, not a failed send
			} else if err != nil {
				outcome = string(ErrorCode(err))
			}
			b.observeSend(SendEvent{Platform: n.To.Platform, Community: n.Community, Outcome: outcome, Duration: time.Since(start)})
		}()
	}
	if !ok {
		return fmt.Errorf("no adapter running for platform %q", n.To.Platform)
	}
	return s.Send(ctx, n)
}

// Call is one command being handled.
type Call struct {
	Bot       *Bot
	Req       Request
	Community string
	Actor     Actor
	Command   *Command
	Sub       *Subcommand
	Args      *Args

	roles []Role
}

// Roles returns the caller's community roles, loading stored grants once.
func (c *Call) Roles(ctx context.Context) ([]Role, error) {
	if c.roles != nil {
		return c.roles, nil
	}
	roles := []Role{RoleMember}
	if c.Actor.Admin {
		roles = append(roles, RoleAdmin)
	}
	stored, err := c.Bot.store.Roles(ctx, c.Community, c.Actor.ID)
	if err != nil {
		return nil, err
	}
	c.roles = append(roles, stored...)
	return c.roles, nil
}

// HasRole reports whether the caller holds role r or a higher one.
func (c *Call) HasRole(ctx context.Context, r Role) (bool, error) {
	if r <= RoleOwner || (c.Actor.Admin) {
		return true, nil
	}
	roles, err := c.Roles(ctx)
	if err != nil {
		return false, err
	}
	return slices.Max(roles) >= r, nil
}

// Person turns a user id given in a command into an identity in the
// caller's workspace.
func (c *Call) Person(user string) Identity {
	return Identity{Platform: c.Req.From.Platform, Workspace: c.Req.From.Workspace, User: user}
}

// Handle runs one request and always returns a reply: refusals and failures
// become replies with Err set; internal details go only to the log. It
// logs one line per command (request id, community, command, outcome,
// duration; never the message text) and reports it to Options.Observe.
func (b *Bot) Handle(ctx context.Context, req Request) (reply Reply) {
	defer b.inflight.add()()
	start := time.Now()
	if req.Time.IsZero() {
		req.Time = b.now()
	}
	community := b.tenancy.Community(req.From.Platform, req.From.Workspace)
	// The log id is separate from req.ID: an invented id must not reach the
	// store, where request ids are idempotency keys.
	logID := req.ID
	if logID == "" {
		logID = NewRequestID()
	}
	ev := CommandEvent{RequestID: logID, Community: community, Platform: req.From.Platform, Command: "unknown", Outcome: "ok"}
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("command panicked", "request", logID, "panic", p, "stack", string(debug.Stack()))
			reply, ev.Outcome = ErrorReply(fmt.Errorf("panic")), "panic"
		}
		ev.Duration = time.Since(start)
		b.log.Info("command", "request", logID, "community", community, "platform", string(req.From.Platform),
			"command", ev.Command, "sub", ev.Sub, "outcome", ev.Outcome, "duration", ev.Duration)
		if b.observe != nil {
			b.observe(ev)
		}
	}()
	reply, err := b.dispatch(ctx, req, community, &ev)
	if err != nil {
		ev.Outcome = string(ErrorCode(err))
		if ev.Outcome == string(Internal) {
			b.log.Error("command failed", "request", logID, "community", community, "command", ev.Command, "err", err)
		}
		return ErrorReply(err)
	}
	return reply
}

// dispatch runs a request, naming the command and subcommand it found in ev.
func (b *Bot) dispatch(ctx context.Context, req Request, community string, ev *CommandEvent) (Reply, error) {
	if !req.From.Valid() {
		return Reply{}, Errorf(Invalid, "I can't tell who you are, so I can't run that.")
	}
	r := b.Resolve(&req)
	if r.Command != nil {
		ev.Command = r.Command.Name
	}
	if r.Err != nil {
		return Reply{}, r.Err
	}
	cmd, sub := r.Command, r.Sub
	if sub == nil {
		return CommandHelp(cmd), nil
	}
	ev.Sub = sub.Name
	if r.Help {
		return SubHelp(cmd, sub, b.Choices(community)), nil
	}
	args := req.Args
	if args == nil {
		var err error
		if args, err = cmd.Parse(sub, r.Text, b.Choices(community)); err != nil {
			return Reply{}, err
		}
	}
	if err := cmd.PlaceDates(sub, args, b.Today(community)); err != nil {
		return Reply{}, err
	}
	call := &Call{Bot: b, Req: req, Community: community, Command: cmd, Sub: sub, Args: args,
		Actor: Actor{ID: req.From, Admin: b.tenancy.IsAdmin(community, req.From)}}
	ok, err := call.HasRole(ctx, sub.MinRole)
	if err != nil {
		return Reply{}, err
	}
	if !ok {
		return Reply{}, Errorf(Forbidden, "%s is for %ss; ask an admin if you need it.", strings.TrimSpace("/"+cmd.Name+" "+sub.Name), sub.MinRole)
	}
	// After the role check: a refusal listing businesses must not reach
	// someone the subcommand is not for.
	if err := call.resolveBusinesses(ctx); err != nil {
		return Reply{}, err
	}
	return sub.Run(ctx, call)
}

// resolveBusinesses turns each business option given as a number or a
// name into the business's number (ResolveBusiness).
func (c *Call) resolveBusinesses(ctx context.Context) error {
	for _, o := range c.Sub.Options {
		v, ok := c.Args.values[o.Name].(string)
		if o.Suggest != SuggestBusinesses || !ok {
			continue
		}
		n, err := ResolveBusiness(ctx, c.Bot.store, c.Community, o.Name, v)
		if err != nil {
			return err
		}
		c.Args.Set(o.Name, n)
	}
	return nil
}

// isHelpWord says the text after a subcommand asks for its help:
// /pledge add help.
func isHelpWord(text string) bool {
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "help", "--help", "-h", "?":
		return true
	}
	return false
}

func visibleSubs(cmd *Command) []string {
	var names []string
	for _, s := range cmd.Subs {
		if !s.Hidden {
			names = append(names, s.Name)
		}
	}
	sort.Strings(names)
	return names
}

// PrivateReply reports whether a request's subcommand is Private, so an
// adapter keeps its reply to the caller even when asked to share it. It
// reads the request's resolution (see Resolve), resolving it only when the
// adapter has not.
func (b *Bot) PrivateReply(req Request) bool {
	r := b.Resolve(&req)
	return r.Err == nil && r.Sub != nil && r.Sub.Private
}
