package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// runEraseMember removes a person from every community: for an operator
// acting on a data-erasure request, so it runs from the server, not chat.
func runEraseMember(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := newFlags("erase-member", stderr)
	user := fs.String("user", "", "the person, as platform:workspace:user (e.g. slack:T0123:U0456)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	who, err := bot.ParseIdentity(*user)
	if err != nil {
		return fmt.Errorf("--user: %w", err)
	}
	a, err := openTool(ctx, "erase-member", *cfgPath, stderr, true)
	if err != nil {
		return err
	}
	defer a.Close()
	operator := "operator:" + firstOf(os.Getenv("USER"), "unknown")
	communities, err := a.store.ErasePerson(ctx, operator, who)
	if err != nil {
		return err
	}
	if len(communities) == 0 {
		fmt.Fprintf(stdout, "%s was not found in any community.\n", who.Key())
		return nil
	}
	fmt.Fprintf(stdout, "Erased %s from %s.\n", who.Key(), strings.Join(communities, ", "))
	return nil
}
