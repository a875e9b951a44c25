package bot

import (
	"context"
	"strings"
)

// Type is the type of a command option.
type Type int

const (
	Text   Type = iota // free text, limited in length
	Number             // non-negative decimal, "1,500", "£20k" accepted
	Date               // a day as people write it (see ParseDate), read in the community's time zone
	Ref                // a #N or N number of a pledge, business or decision
	User               // a person: a mention or a console name
	Choice             // one of Choices (or of the dynamic list named by Dynamic)
)

// MaxText is the default limit for free text.
const MaxText = 500

// Option is one typed input of a subcommand.
type Option struct {
	Name       string
	Type       Type
	Help       string
	Required   bool
	Positional bool // given by position instead of name:value
	Rest       bool // positional text that takes the rest of the line
	Choices    []string
	Dynamic    string // name of a runtime choice list, e.g. "themes"
	Max        int    // text length limit; MaxText when 0
	// Suggest names the records adapters suggest as the person types
	// (Discord autocomplete): "partners" for a partner's name or number,
	// SuggestBusinesses for a business's (which the router also resolves
	// to its number).
	Suggest string
	// Then, for a name:value option, says whether the plain word after its
	// unquoted value is the value's second half (postcode:CB1 2AB);
	// moreText says whether plain words follow that one.
	Then func(value, word string, moreText bool) bool
	// Clearable accepts "-" for "remove it": a Date then reads as the zero
	// time.
	Clearable bool
	// Past marks a Date that looks back (when a decision was taken, a year
	// end to report on): without a year it is the latest such day up to
	// today, not the next.
	Past bool
	// Greedy name:value text runs on to the next option, so a note needs
	// no quotes: a:long-term cost of the lease b:staff were consulted. A
	// quoted value ends at its closing quote.
	Greedy bool
	// OneWord name:value text is one word unless quoted: a plain word
	// right after its unquoted value (unit:raffle prizes) is refused as
	// ambiguous rather than taken as the positional text.
	OneWord bool
	// Signed lets a Number be typed as a change, +N or -N, read with
	// Args.Delta; without a sign it is a value as usual. Other Numbers
	// refuse a sign.
	Signed bool
	// Negative lets a Number below 0 through to the handler, which must
	// refuse it with a message of its own: a negative /pledge progress is
	// a mistake to correct, and only the handler can say how (/pledge
	// correct N ...). Other Numbers refuse it here ("can't be negative").
	Negative bool
	// IsName marks text a person chooses as a name others will know them
	// by (a business's name): format characters (Unicode Cf: bidi
	// overrides, zero-width characters) are refused rather than silently
	// stripped, and runs of spaces read as one. Other text has its format
	// characters stripped.
	IsName bool
	// Ask puts an optional option in the forms adapters open for a
	// subcommand (Discord's modals hold five inputs, so they ask only for
	// what is required unless told): /business register asks for the legal
	// form and size.
	Ask bool
}

// IsConfirm reports whether o is the one-word confirmation "confirm"
// (/pledge withdraw 7 confirm): "yes" reads as it too. Other one-word
// choices (mine, revoke) are not answers to a question, so "yes" must not
// mean them: /pledge confirm-link 7 yes is not a revoke.
func (o Option) IsConfirm() bool {
	return o.Type == Choice && o.Dynamic == "" && len(o.Choices) == 1 && o.Name == "confirm" && o.Choices[0] == "confirm"
}

// Handler runs a parsed command.
type Handler func(ctx context.Context, c *Call) (Reply, error)

// Subcommand is the unit the router dispatches to.
type Subcommand struct {
	Name    string // "" for a command without subcommands
	Help    string
	Options []Option
	MinRole Role
	Run     Handler
	// Hidden subcommands (confirm steps) are parsed but not listed in help.
	Hidden bool
	// Private subcommands answer with data for the caller only (exports,
	// draft statements): adapters never share their replies in a channel,
	// whatever share option the caller gave.
	Private bool
	// Default runs when the text does not start with another subcommand's
	// name, so `/summary period:2026` works as well as `/summary show ...`.
	Default bool
	// Example is a whole command line showing the subcommand in use, for
	// its help; when empty, help builds one from the required options.
	Example string
	// OptionHint, when set, explains an unknown option name better than the
	// generic message (e.g. /s172's g: is not a factor); "" falls back.
	OptionHint func(name string) string
}

// Command is one slash command and its subcommands: the single source for
// the text parser, help, and platform registration.
type Command struct {
	Name string
	Help string
	Subs []*Subcommand
}

// DefaultSub is the subcommand flagged Default, or nil.
func (c *Command) DefaultSub() *Subcommand {
	for _, s := range c.Subs {
		if s.Default {
			return s
		}
	}
	return nil
}

// Sub finds a subcommand by name.
func (c *Command) Sub(name string) *Subcommand {
	for _, s := range c.Subs {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Usage is the one-line synopsis, e.g.
// `/pledge add TEXT theme:THEME [target:NUMBER]`.
func (c *Command) Usage(s *Subcommand) string {
	parts := []string{"/" + c.Name}
	if s.Name != "" {
		parts = append(parts, s.Name)
	}
	for _, o := range s.Options {
		var p string
		if o.Positional {
			p = strings.ToUpper(o.Name)
		} else {
			p = o.Name + ":" + placeholder(o)
		}
		if !o.Required {
			p = "[" + p + "]"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func placeholder(o Option) string {
	switch {
	case len(o.Choices) > 0 && len(o.Choices) <= 4:
		return strings.Join(o.Choices, "|")
	case o.Type == Number:
		return "NUMBER"
	case o.Type == Date:
		return "DATE"
	case o.Type == Ref:
		return "N"
	case o.Suggest == SuggestBusinesses:
		return "N-or-name"
	case o.Type == User:
		return "USER"
	}
	return strings.ToUpper(o.Name)
}
