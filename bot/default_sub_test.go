package bot

import (
	"context"
	"testing"
)

// TestDefaultSubcommand: a command with a Default subcommand runs it when
// the text does not start with another subcommand's name.
func TestDefaultSubcommand(t *testing.T) {
	ran := func(name string) Handler {
		return func(ctx context.Context, c *Call) (Reply, error) {
			return Reply{Title: name + ":" + c.Args.String("period")}, nil
		}
	}
	b := New(Options{})
	b.Register(&Command{Name: "summary", Subs: []*Subcommand{
		{Name: "show", Default: true, Run: ran("show"), Options: []Option{{Name: "period"}}},
		{Name: "export", Run: ran("export"), Options: []Option{{Name: "period"}}},
	}})
	from := Identity{Platform: Console, Workspace: "local", User: "a"}
	cases := []struct{ text, want string }{
		{"", "show:"},
		{"period:2026", "show:2026"},
		{"show period:2026", "show:2026"},
		{"export period:2026-Q4", "export:2026-Q4"},
		{"EXPORT", "export:"},
	}
	for _, c := range cases {
		r := b.Handle(context.Background(), Request{From: from, Command: "summary", Text: c.text})
		if r.Err != nil || r.Title != c.want {
			t.Errorf("%q: %+v, want %q", c.text, r, c.want)
		}
	}
	if r := b.Handle(context.Background(), Request{From: from, Command: "summary", Text: "help"}); r.Err != nil || r.Title == "show:" {
		t.Errorf("help: %+v", r)
	}
	if r := b.Handle(context.Background(), Request{From: from, Command: "summary", Text: "exprot"}); r.Err == nil || r.Err.Code != Invalid {
		t.Errorf("typo: %+v", r)
	}
	// Typed requests (Discord) name the subcommand themselves.
	args := NewArgs()
	args.Set("period", "2025")
	if r := b.Handle(context.Background(), Request{From: from, Command: "summary", Sub: "show", Args: args}); r.Title != "show:2025" {
		t.Errorf("typed: %+v", r)
	}
}
