package commands

import (
	"fmt"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// PermissionTable renders the user guide's "Roles and permissions" table from
// the command specs, the one place each subcommand's MinRole is declared
// and the router enforces it. A test keeps docs/guide.md in step.
func PermissionTable(cmds []*bot.Command) string {
	var b strings.Builder
	b.WriteString("| Command | Minimum role | Roles allowed by the router |\n|---|---|---|\n")
	for _, c := range cmds {
		for _, s := range c.Subs {
			name := "/" + c.Name
			if s.Name != "" {
				name += " " + s.Name
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", name, s.MinRole, allowed(s.MinRole))
		}
	}
	return b.String()
}

func allowed(min bot.Role) string {
	if min <= bot.RoleOwner {
		// The router lets everyone through; business rules are checked by
		// the store, atomically with the write.
		return "everyone (business rules below)"
	}
	var names []string
	for r := min; r <= bot.RoleAdmin; r++ {
		names = append(names, r.String())
	}
	return strings.Join(names, ", ")
}
