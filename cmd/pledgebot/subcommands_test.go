package main

import (
	"flag"
	"strings"
	"testing"
)

// TestHelpListsEverySubcommand runs the real binary: --help, -h and help
// list every registered subcommand, one line each, and exit 0.
func TestHelpListsEverySubcommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, errOut, code := pledgebot(t, "", nil, args...)
		if code != 0 || errOut != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
		lines := strings.Split(out, "\n")
		for _, s := range subcommands() {
			n := 0
			for _, l := range lines {
				if f := strings.Fields(l); len(f) > 0 && f[0] == s.name {
					n++
					if !strings.HasSuffix(l, "  "+s.line) {
						t.Errorf("%v: the line of %s is %q", args, s.name, l)
					}
				}
			}
			if n != 1 {
				t.Errorf("%v: %s is on %d lines, want 1:\n%s", args, s.name, n, out)
			}
		}
	}
}

// TestHelpShowsEachSubcommandsFlags: `help NAME` and `NAME --help` print
// the same usage, naming every flag the subcommand defines, and exit 0.
func TestHelpShowsEachSubcommandsFlags(t *testing.T) {
	clearEnv(t)
	for _, s := range subcommands() {
		help, code := runCLI("", "help", s.name)
		if code != 0 {
			t.Fatalf("help %s: exit %d:\n%s", s.name, code, help)
		}
		own, code := runCLI("", s.name, "--help")
		if code != 0 || own != help {
			t.Errorf("%s --help (exit %d) differs from help %s:\n%s\n---\n%s", s.name, code, s.name, own, help)
		}
		mustContain(t, help, "Usage: pledgebot "+s.name, upperFirst(s.line)+".")
		fs := flag.NewFlagSet(s.name, flag.ContinueOnError)
		s.setup(fs)
		fs.VisitAll(func(f *flag.Flag) {
			mustContain(t, help, "[--"+f.Name, "  -"+f.Name, f.Usage[:10])
		})
	}
	out, _ := runCLI("", "help", "run-job")
	mustContain(t, out, "Usage: pledgebot run-job nudges|digest|lapse|needs [--at TIME] [--community ID] [--config FILE]")
}

func TestUnknownSubcommandSuggests(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"serv"}, {"help", "serv"}} {
		out, code := runCLI("", args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		mustContain(t, out, `unknown subcommand "serv". Did you mean "pledgebot serve"? "pledgebot help" lists them.`)
	}
	if out, code := runCLI("", "help", "console", "serve"); code != 2 {
		t.Errorf("help with two names: exit %d:\n%s", code, out)
	}
	if out, code := runCLI("", "version", "--frobnicate"); code != 2 || !strings.Contains(out, "Usage: pledgebot version") {
		t.Errorf("unknown flag: exit %d:\n%s", code, out)
	}
}
