package main

import (
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

func runConsole(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, cfgPath := newFlags("console", stderr)
	user := fs.String("user", "", "who you are in the console (default: console.user from config, else $USER, else operator)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return err
	}
	name := bot.NormalUser(firstOf(*user, cfg.Console.User, os.Getenv("USER"), "operator"))
	if !bot.ValidUser(name) {
		name = "operator"
	}
	var admin *bot.Identity
	if cfg.ConsoleAdmin() {
		id := console.Identity(name)
		admin = &id
	}
	a, err := openApp(ctx, cfg, stderr, slog.LevelWarn, admin)
	if err != nil {
		return err
	}
	defer a.Close()
	c := console.New(a.bot, stdin, stdout, name, isTerminal(stdin))
	c.ExportDir = firstOf(cfg.Console.ExportsDir, console.DefaultExportDir)
	a.bot.AddSender(bot.Console, c)
	return c.Run(ctx)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
