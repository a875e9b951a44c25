package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"reflect"
	"strings"
	"testing"
)

// resolveBot has a command with named subcommands (one Hidden, one
// Private), one with a Default subcommand and one without subcommands.
func resolveBot() *Bot {
	b := New(Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	echo := func(ctx context.Context, c *Call) (Reply, error) {
		return Reply{Title: c.Command.Name + " " + c.Sub.Name + ":" + c.Args.String("text")}, nil
	}
	text := []Option{{Name: "text", Positional: true, Rest: true}}
	b.Register(
		&Command{Name: "pledge", Subs: []*Subcommand{
			{Name: "add", Run: echo, Options: text},
			{Name: "export", Run: echo, Options: text, Private: true},
			{Name: "withdraw-confirm", Run: echo, Options: text, Hidden: true},
		}},
		&Command{Name: "summary", Subs: []*Subcommand{
			{Name: "show", Default: true, Run: echo, Options: text},
			{Name: "export", Run: echo, Options: text},
		}},
		&Command{Name: "help", Subs: []*Subcommand{{Run: echo, Options: text}}},
	)
	return b
}

// TestResolve: what each kind of request resolves to. want is
// "command sub text" ("-" for no subcommand), with " help" when the text
// asks for the subcommand's help and " default" when the subcommand is the
// Default one the text fell to; err is a substring of the refusal.
func TestResolve(t *testing.T) {
	b := resolveBot()
	args := NewArgs()
	for _, tc := range []struct {
		name string
		req  Request
		want string
		err  string
	}{
		{"subcommand", Request{Command: "pledge", Text: "add Plant trees"}, "pledge add Plant trees", ""},
		{"names in any case", Request{Command: "PLEDGE", Text: "  ADD  Plant trees "}, "pledge add  Plant trees", ""},
		{"hidden subcommand", Request{Command: "pledge", Text: "withdraw-confirm 7"}, "pledge withdraw-confirm 7", ""},
		{"subcommand's help", Request{Command: "pledge", Text: "add help"}, "pledge add help help", ""},
		{"subcommand's help as ?", Request{Command: "pledge", Text: "add ?"}, "pledge add ? help", ""},
		{"command's help", Request{Command: "pledge", Text: "help"}, "pledge - ", ""},
		{"no subcommand", Request{Command: "pledge"}, "pledge - ", ""},
		{"default by its name", Request{Command: "summary", Text: "show period:2026"}, "summary show period:2026", ""},
		{"default by no name", Request{Command: "summary", Text: "period:2026"}, "summary show period:2026 default", ""},
		{"default with no text", Request{Command: "summary"}, "summary show  default", ""},
		{"default's help", Request{Command: "summary", Text: "--help"}, "summary show --help help default", ""},
		{"help beats the default", Request{Command: "summary", Text: "help"}, "summary - ", ""},
		{"other than the default", Request{Command: "summary", Text: "export q4"}, "summary export q4", ""},
		{"no subcommands", Request{Command: "help", Text: "pledge"}, "help  pledge", ""},
		{"no subcommands, help", Request{Command: "help", Text: "help"}, "help  help help", ""},
		{"unknown command", Request{Command: "pldge", Text: "add x"}, "", "There is no /pldge command. Did you mean /pledge?"},
		{"unknown subcommand", Request{Command: "pledge", Text: "ad x"}, "pledge - ", `/pledge has no "ad". Did you mean /pledge add? Try one of: add, export.`},
		{"args given", Request{Command: "pledge", Sub: "add", Args: args}, "pledge add ", ""},
		{"args given, help as text is no help", Request{Command: "pledge", Sub: "add", Text: "help", Args: args}, "pledge add help", ""},
		{"args given to the default", Request{Command: "summary", Sub: "show", Args: args}, "summary show ", ""},
		{"args given, no default", Request{Command: "summary", Sub: "bogus", Args: args}, "summary - ", `/summary has no "bogus".`},
		{"args given, no subcommand", Request{Command: "summary", Args: args}, "summary - ", ""},
		{"sub given before args", Request{Command: "pledge", Sub: "export"}, "pledge export ", ""},
		{"sub given, no subcommands", Request{Command: "help", Sub: "x", Args: args}, "help  ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req
			r := b.Resolve(&req)
			if req.Resolved != r {
				t.Fatalf("the resolution is not in the request")
			}
			if tc.err != "" {
				if r.Err == nil || !strings.Contains(ErrorMessage(r.Err), tc.err) {
					t.Fatalf("err %v, want %q", r.Err, tc.err)
				}
			} else if r.Err != nil {
				t.Fatalf("err %v", r.Err)
			}
			got := ""
			if r.Command != nil {
				sub := "-"
				if r.Sub != nil {
					sub = r.Sub.Name
				}
				got = r.Command.Name + " " + sub + " " + r.Text
				if r.Help {
					got += " help"
				}
				if r.Defaulted {
					got += " default"
				}
			}
			if got != tc.want {
				t.Errorf("resolved to %q, want %q", got, tc.want)
			}
		})
	}
}

// TestResolvedOncePerRequest: Handle, PrivateReply and a retry (Settle)
// read the request's resolution; only a request that has none is resolved,
// once.
func TestResolvedOncePerRequest(t *testing.T) {
	b := resolveBot()
	var resolved []string
	b.onResolve = func(r Request) { resolved = append(resolved, r.Command+" "+r.Text) }
	from := Identity{Console, "local", "u"}

	if r := b.Handle(context.Background(), Request{From: from, Command: "pledge", Text: "add x"}); r.Title != "pledge add:x" {
		t.Fatalf("reply %+v", r)
	}
	if fmt.Sprint(resolved) != "[pledge add x]" {
		t.Fatalf("Handle resolved %v, want once", resolved)
	}

	// An adapter resolves first; everything after reads what it found.
	resolved = nil
	req := Request{From: from, Command: "pledge", Text: "export x"}
	b.Resolve(&req)
	b.Resolve(&req)
	if !b.PrivateReply(req) {
		t.Fatal("export is private")
	}
	if r := b.Handle(context.Background(), req); r.Title != "pledge export:x" {
		t.Fatalf("reply %+v", r)
	}
	b.Settle(context.Background(), req, Reply{Err: &Error{Code: Invalid}})
	if len(resolved) != 1 {
		t.Fatalf("resolved %d times, want 1: %v", len(resolved), resolved)
	}
}

// TestHandleUsesTheResolution: a request carrying its resolution runs the
// subcommand and text it names, whatever its Text says: Handle does not
// look again.
func TestHandleUsesTheResolution(t *testing.T) {
	b := resolveBot()
	b.onResolve = func(r Request) { t.Errorf("resolved %+v again", r) }
	cmd := b.Command("pledge")
	from := Identity{Console, "local", "u"}
	req := Request{From: from, Command: "pledge", Text: "add from the text",
		Resolved: &Resolved{Command: cmd, Sub: cmd.Sub("export"), Text: "from the resolution"}}
	if r := b.Handle(context.Background(), req); r.Title != "pledge export:from the resolution" {
		t.Fatalf("reply %+v", r)
	}
	if !b.PrivateReply(req) {
		t.Fatal("PrivateReply looked again: export is private, add is not")
	}
	req.Resolved = &Resolved{Command: cmd, Sub: cmd.Sub("add"), Text: "x", Help: true}
	if r := b.Handle(context.Background(), req); r.Err != nil || !strings.Contains(r.Title, "/pledge add") {
		t.Fatalf("help reply %+v", r)
	}
	req.Resolved = &Resolved{Command: cmd, Err: Errorf(Invalid, "refused by the resolution")}
	if r := b.Handle(context.Background(), req); r.Err == nil || r.Err.Message != "refused by the resolution" {
		t.Fatalf("refusal %+v", r)
	}
}

// TestSplitThenTyped: Parse is Split then Typed; Split gives each value as
// typed, multi-word ones whole.
func TestSplitThenTyped(t *testing.T) {
	add, progress, register, log := testCmd.Subs[0], testCmd.Subs[1], testCmd.Subs[3], testCmd.Subs[4]
	for _, tc := range []struct {
		sub  *Subcommand
		line string
		want map[string]string
	}{
		{progress, "7", map[string]string{"pledge": "7"}},
		{progress, "#7 3 bags of litter", map[string]string{"pledge": "#7", "amount": "3", "note": "bags of litter"}},
		{add, `"Plant trees" theme:carbon due:31 March 2027`, map[string]string{"text": "Plant trees", "theme": "carbon", "due": "31 March 2027"}},
		{register, "Acme Bakery postcode:CB1 2AB", map[string]string{"name": "Acme Bakery", "postcode": "CB1 2AB"}},
		{log, `Lease a:long-term cost b:"staff"`, map[string]string{"title": "Lease", "a": "long-term cost", "b": "staff"}},
		{add, "", map[string]string{}},
	} {
		got, err := testCmd.Split(tc.sub, tc.line)
		if err != nil || !maps.Equal(got, tc.want) {
			t.Errorf("Split(%s, %q) = %v, %v; want %v", tc.sub.Name, tc.line, got, err, tc.want)
		}
	}
	if _, err := testCmd.Split(progress, "7 3 x nope:1"); err == nil || ErrorCode(err) != Invalid {
		t.Errorf("unknown option: %v", err)
	}
}

// FuzzSplit: the splitter never panics, refuses only with Invalid, names
// only options of the subcommand, and Parse is exactly Split then Typed.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"7", "7 3 note here", `"x" theme:carbon due:next friday`, `a:b c:"d`, "Acme postcode:CB1 2AB 1st",
		`x a:one two b:"three" four`, "\xff", `t:"\"`, "7 1 000", "unit:raffle prizes",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, sub := range testCmd.Subs {
			raw, err := testCmd.Split(sub, line)
			parsed, perr := testCmd.Parse(sub, line, themes)
			if err != nil {
				if ErrorCode(err) != Invalid {
					t.Fatalf("error with code %s: %v", ErrorCode(err), err)
				}
				if perr == nil || perr.Error() != err.Error() {
					t.Fatalf("Split refused (%v) but Parse said %v", err, perr)
				}
				continue
			}
			for name := range raw {
				if sub.option(name) == nil {
					t.Fatalf("split out %q, no option of %s", name, sub.Name)
				}
			}
			typed, terr := testCmd.Typed(sub, raw, themes)
			if (terr == nil) != (perr == nil) || (terr != nil && terr.Error() != perr.Error()) {
				t.Fatalf("Split then Typed: %v; Parse: %v", terr, perr)
			}
			if terr == nil && !reflect.DeepEqual(typed, parsed) {
				t.Fatalf("Split then Typed: %v; Parse: %v", typed, parsed)
			}
		}
	})
}
