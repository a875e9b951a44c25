package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// runEraseMember removes a person from every community: for an operator
// acting on a data-erasure request, so it runs from the server, not chat.
func eraseMemberCmd(fs *flag.FlagSet) runFunc {
	cfgPath := configFlag(fs)
	user := fs.String("user", "", "the person, as `platform:workspace:user` (e.g. slack:T0123:U0456); required")
	return func(ctx context.Context, e env, _ []string) error {
		who, err := bot.ParseIdentity(*user)
		if err != nil {
			return usageError{"--user: " + err.Error()}
		}
		return runEraseMember(ctx, *cfgPath, who, e.stdout, e.stderr)
	}
}

func runEraseMember(ctx context.Context, cfgPath string, who bot.Identity, stdout, stderr io.Writer) error {
	a, err := openTool(ctx, "erase-member", cfgPath, stderr, true)
	if err != nil {
		return err
	}
	defer a.Close()
	operator := "operator:" + firstOf(os.Getenv("USER"), "unknown")
	e, err := a.store.Erase(ctx, operator, who)
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, eraseReport(who, e))
	return nil
}

// eraseReport says what an erasure did, businesses it left without their
// owner included (the audit trail records the same).
func eraseReport(who bot.Identity, e store.Erasure) string {
	if len(e.Communities) == 0 {
		return fmt.Sprintf("%s was not found in any community.\n", who.Key())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Erased %s from %s.\n", who.Key(), strings.Join(e.Communities, ", "))
	for _, o := range e.Owners {
		if o.NewOwner.User != "" {
			fmt.Fprintf(&b, "%s: business #%d had no other owner; it now belongs to %s, its longest-standing member.\n",
				o.Community, o.Business, o.NewOwner.Key())
		} else {
			fmt.Fprintf(&b, "%s: business #%d has no members left and needs an owner: an admin can add one with /business add-member %d USER role:owner (see /business show %d, /audit).\n",
				o.Community, o.Business, o.Business, o.Business)
		}
	}
	return b.String()
}
