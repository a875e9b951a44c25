package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

func consoleCmd(fs *flag.FlagSet) runFunc {
	cfgPath := configFlag(fs)
	user := fs.String("user", "", "who you are in the console (default: console.user from config, else $USER, else operator)")
	return func(ctx context.Context, e env, _ []string) error {
		return runConsole(ctx, *cfgPath, *user, e)
	}
}

func runConsole(ctx context.Context, cfgPath, user string, e env) error {
	stdin, stdout, stderr := e.stdin, e.stdout, e.stderr
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	name := bot.NormalUser(firstOf(user, cfg.Console.User, os.Getenv("USER"), "operator"))
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
	community := a.bot.Tenancy().Community(bot.Console, console.Workspace)
	c.AfterLine = func(ctx context.Context) {
		if _, err := a.sched.Drain(ctx, community); err != nil {
			a.log.Warn("could not send the notices waiting in the outbox", "err", err)
		}
	}
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
