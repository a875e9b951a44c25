package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/pledgebot/pledgebot/config"
)

// runCheckConfig is `pledgebot check-config [--config FILE]`: it reads the
// file and the environment as serve does and prints every problem, each
// named by its field path, or a short summary of what would start. It
// connects to nothing: not Redis, not Slack, not Discord.
func checkConfigCmd(fs *flag.FlagSet) runFunc {
	cfgPath := configFlag(fs)
	return func(_ context.Context, e env, _ []string) error { return runCheckConfig(*cfgPath, e.stdout, e.stderr) }
}

func runCheckConfig(cfgPath string, stdout, stderr io.Writer) error {
	name := cfgPath
	if name == "" {
		name = "the environment"
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		var fe *config.FileError
		if !errors.As(err, &fe) {
			return fmt.Errorf("check-config: %w", err)
		}
		for _, line := range strings.Split(fe.Error(), "\n") {
			fmt.Fprintln(stderr, line)
		}
		n := len(fe.Problems)
		return fmt.Errorf("check-config: %d %s in %s", n, plural(n, "problem", "problems"), name)
	}
	fmt.Fprintf(stdout, "%s: OK\n", name)
	fmt.Fprint(stdout, configSummary(cfg))
	return nil
}

// configSummary says, in a few lines, what `pledgebot` would start with
// cfg.
func configSummary(cfg *config.Config) string {
	var b strings.Builder
	var adapters []string
	if s := cfg.Slack; s.SigningSecret != "" || s.AppToken != "" || s.BotToken != "" || s.Distributed() {
		var how []string
		if s.SigningSecret != "" {
			how = append(how, "HTTP endpoints")
		}
		if s.AppToken != "" {
			how = append(how, "Socket Mode")
		}
		if s.Distributed() {
			how = append(how, "installs to many workspaces at /slack/install")
		} else if s.BotToken != "" {
			how = append(how, "sends notices")
		}
		adapters = append(adapters, "slack ("+strings.Join(how, ", ")+")")
	}
	if d := cfg.Discord; d.PublicKey != "" || d.BotToken != "" {
		var how []string
		if d.PublicKey != "" {
			how = append(how, "HTTP interactions")
		}
		if d.BotToken != "" {
			how = append(how, "gateway, sends notices")
		}
		adapters = append(adapters, "discord ("+strings.Join(how, ", ")+")")
	}
	if len(adapters) == 0 {
		fmt.Fprintln(&b, "  adapters:    none configured: plain `pledgebot` opens the console")
	} else {
		fmt.Fprintf(&b, "  adapters:    %s; serve listens on %s\n", strings.Join(adapters, "; "), cfg.Server.Addr)
	}
	var ids []string
	for _, c := range cfg.Communities {
		ids = append(ids, c.ID)
	}
	if len(ids) == 0 {
		fmt.Fprintln(&b, "  communities: none configured (each workspace becomes its own)")
	} else {
		fmt.Fprintf(&b, "  communities: %d (%s)\n", len(ids), strings.Join(ids, ", "))
	}
	themes := fmt.Sprintf("%d", len(cfg.Themes))
	if len(cfg.Themes) == len(config.DefaultThemes) && &cfg.Themes[0] == &config.DefaultThemes[0] {
		themes += " (the defaults)"
	}
	fmt.Fprintf(&b, "  themes:      %s\n", themes)
	fmt.Fprintf(&b, "  store:       %s, key prefix %q\n", storeSummary(cfg.Redis), cfg.Redis.Prefix)
	s := cfg.Schedules
	fmt.Fprintf(&b, "  schedules:   digest %q, nudges %q, lapse %q, needs %q in %s\n", s.Digest, s.Nudges, s.Lapse, s.Needs, s.Timezone)
	return b.String()
}

// storeSummary names where state would live, without any password.
func storeSummary(r config.Redis) string {
	switch {
	case r.ClusterURL != "":
		return "Redis Cluster at " + redactedURL(r.ClusterURL)
	case r.Sentinel != nil:
		return fmt.Sprintf("Redis via Sentinel (master %q at %s)", r.Sentinel.MasterName, strings.Join(r.Sentinel.Addrs, ", "))
	case r.URL != "":
		return "Redis at " + redactedURL(r.URL)
	}
	return "embedded in-memory store (nothing kept after exit; set REDIS_URL)"
}

func redactedURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unreadable URL)"
	}
	return u.Redacted()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
