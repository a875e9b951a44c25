package console

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// TestTextFilesShownInline: a terminal can't download attachments, so text
// files (the s172 statement, CSV exports) are printed after the reply and
// binary ones are only named.
func TestTextFilesShownInline(t *testing.T) {
	b := bot.New(bot.Options{})
	kind := []bot.Option{{Name: "kind", Positional: true, Help: "bin for a binary file"}}
	b.Register(&bot.Command{Name: "file", Subs: []*bot.Subcommand{{Options: kind, Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
		typ := "text/markdown"
		if c.Args.String("kind") == "bin" {
			typ = "application/octet-stream"
		}
		return bot.Reply{Title: "Here it is", File: &bot.File{Name: "statement.md", Type: typ, Content: []byte("# DRAFT\n\nbody\n")}}, nil
	}}}})
	var out strings.Builder
	if err := New(b, strings.NewReader("/file\n/file bin\n"), &out, "sam", false).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "Here it is\n(file statement.md)\n----- statement.md -----\n# DRAFT\n\nbody\n----- end of statement.md -----\n" +
		"Here it is\n(file statement.md)\n"
	if out.String() != want {
		t.Fatalf("console printed:\n%s\nwant:\n%s", out.String(), want)
	}
}

// TestHelpListsConsoleCommands: /help in the console also lists /as, /quit
// and /exit, which only the console understands; help about one command
// does not.
func TestHelpListsConsoleCommands(t *testing.T) {
	b := bot.New(bot.Options{})
	b.Register(&bot.Command{Name: "help", Subs: []*bot.Subcommand{{
		Options: []bot.Option{{Name: "command", Positional: true}},
		Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
			return bot.Reply{Title: "Commands", Text: "/help " + c.Args.String("command")}, nil
		}}}})
	var out strings.Builder
	if err := New(b, strings.NewReader("/help\n/help pledge\n"), &out, "sam", false).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	all, one, _ := strings.Cut(out.String(), "/help pledge")
	for _, w := range []string{"/as NAME", "/quit", "/exit"} {
		if !strings.Contains(all, w) {
			t.Errorf("/help lacks %s:\n%s", w, all)
		}
		if strings.Contains(one, w) {
			t.Errorf("/help pledge shows %s:\n%s", w, one)
		}
	}
}
