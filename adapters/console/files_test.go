package console

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// fileBot answers /export with a file whose name comes from the line, so
// the test can try hostile names.
func fileBot() *bot.Bot {
	b := bot.New(bot.Options{})
	b.Register(&bot.Command{Name: "export", Subs: []*bot.Subcommand{{
		Options: []bot.Option{{Name: "name", Positional: true, Rest: true}},
		Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
			return bot.Reply{Title: "Here it is", File: &bot.File{Name: c.Args.String("name"), Type: "text/csv", Content: []byte("a,b\n1,2\n")}}, nil
		},
	}}})
	return b
}

func TestConsoleWritesFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	in := strings.NewReader("/export summary.csv\n/export summary.csv\n/export ../../etc/passwd\n/export .hidden\n")
	var out strings.Builder
	c := New(fileBot(), in, &out, "alice", false)
	c.ExportDir = DefaultExportDir
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	exports := filepath.Join(dir, DefaultExportDir)
	for _, want := range []string{"summary.csv", "summary-2.csv", "passwd", "hidden"} {
		path := filepath.Join(exports, want)
		data, err := os.ReadFile(path)
		if err != nil || string(data) != "a,b\n1,2\n" {
			t.Errorf("%s: %q %v", want, data, err)
		}
		if !strings.Contains(out.String(), "Saved to "+path+"\n") {
			t.Errorf("output does not name %s:\n%s", path, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "etc")); err == nil {
		t.Errorf("a file escaped the export directory")
	}
}

func TestConsoleExportDirConfigured(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports", "out")
	var out strings.Builder
	c := New(fileBot(), strings.NewReader("/export x.json\n"), &out, "alice", false)
	c.ExportDir = dir
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.json")); err != nil || !strings.Contains(out.String(), filepath.Join(dir, "x.json")) {
		t.Errorf("%v\n%s", err, out.String())
	}
}
