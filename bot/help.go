package bot

import "strings"

// CommandHelp is the help reply for one command, derived from its spec.
func CommandHelp(c *Command) Reply {
	var lines []string
	for _, s := range c.Subs {
		if s.Hidden {
			continue
		}
		lines = append(lines, c.Usage(s)+"\n    "+s.Help+roleNote(s))
	}
	return Reply{Title: "/" + c.Name + ": " + c.Help, Text: strings.Join(lines, "\n")}
}

// Overview is the help reply listing every command.
func Overview(cs []*Command) Reply {
	var lines []string
	for _, c := range cs {
		lines = append(lines, "/"+c.Name+" — "+c.Help)
	}
	lines = append(lines, "", "Type /help COMMAND for its details, e.g. /help pledge.")
	return Reply{Title: "Pledgebot commands", Text: strings.Join(lines, "\n")}
}

func roleNote(s *Subcommand) string {
	if s.MinRole >= RoleCouncil {
		return " (" + s.MinRole.String() + "s and above)"
	}
	return ""
}
