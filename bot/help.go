package bot

import (
	"fmt"
	"strings"
)

// CommandHelp is the help reply for one command, derived from its spec.
func CommandHelp(c *Command) Reply {
	var lines []string
	for _, s := range c.Subs {
		if s.Hidden {
			continue
		}
		lines = append(lines, c.Usage(s)+"\n    "+s.Help+roleNote(s))
	}
	if len(c.Subs) > 1 {
		lines = append(lines, "", fmt.Sprintf("/help %s SUBCOMMAND (or /%s SUBCOMMAND help) shows its options and an example.", c.Name, c.Name))
	}
	return Reply{Title: "/" + c.Name + ": " + c.Help, Text: strings.Join(lines, "\n")}
}

// Overview is the help reply listing every command.
func Overview(cs []*Command) Reply {
	var lines []string
	for _, c := range cs {
		lines = append(lines, "/"+c.Name+" — "+c.Help)
	}
	lines = append(lines, "", "Type /help COMMAND [SUBCOMMAND] for details, e.g. /help pledge add; /help themes lists the pledge themes.")
	return Reply{Title: "Pledgebot commands", Text: strings.Join(lines, "\n")}
}

// SubHelp is the help reply for one subcommand: usage, each option with
// whether it is needed, its choices, and an example, all from the spec.
func SubHelp(c *Command, s *Subcommand, choices ChoiceSource) Reply {
	name := strings.TrimSpace("/" + c.Name + " " + s.Name)
	lines := []string{"Usage: " + c.Usage(s)}
	if len(s.Options) > 0 {
		lines = append(lines, "Options:")
	}
	for _, o := range s.Options {
		lines = append(lines, "  "+optionHelp(o, choices))
	}
	lines = append(lines, "Example: "+example(c, s, choices))
	if s.MinRole >= RoleCouncil {
		lines = append(lines, "For "+s.MinRole.String()+"s and above.")
	}
	return Reply{Title: name + ": " + s.Help, Text: strings.Join(lines, "\n")}
}

func optionHelp(o Option, choices ChoiceSource) string {
	label := o.Name + ":"
	if o.Positional {
		label = strings.ToUpper(o.Name)
	}
	need := "optional"
	if o.Required {
		need = "required"
	}
	line := fmt.Sprintf("%s (%s) %s", label, need, o.Help)
	switch {
	case o.Type == Choice && o.Dynamic == "themes":
		line += "; one of the theme keys (/help themes)"
	case o.Type == Choice:
		line += "; one of: " + strings.Join(choiceList(o, choices), ", ")
	case o.Type == Date:
		line += "; a date like " + DateForms
	case o.Type == Number:
		line += "; a number like 40, 2.5, 1,500 or £20k"
	case o.Type == Ref:
		line += "; a number like 7 or #7"
	case o.Suggest == SuggestBusinesses:
		line += "; a number like 7, or a name or its start, like Bakery"
	case o.Type == User:
		line += "; a person, like @alice"
	}
	return line
}

func choiceList(o Option, choices ChoiceSource) []string {
	if o.Dynamic != "" && choices != nil {
		return choices(o.Dynamic)
	}
	return o.Choices
}

// example is the subcommand's own Example, or one made from its required
// options with a sample value of each type.
func example(c *Command, s *Subcommand, choices ChoiceSource) string {
	if s.Example != "" {
		return s.Example
	}
	parts := []string{strings.TrimSpace("/" + c.Name + " " + s.Name)}
	for _, o := range s.Options {
		if !o.Required {
			continue
		}
		v := sample(o, choices)
		if !o.Positional {
			v = o.Name + ":" + v
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " ")
}

func sample(o Option, choices ChoiceSource) string {
	switch o.Type {
	case Number:
		return "2"
	case Date:
		return "31/03/2027"
	case Ref:
		return "1"
	case User:
		return "@alice"
	case Choice:
		if l := choiceList(o, choices); len(l) > 0 {
			return l[0]
		}
	}
	return `"` + o.Name + `"`
}

// ThemesHelp lists a community's themes: key, name, unit, measure and the
// council measure each mirrors (issue 15: each theme names it).
func ThemesHelp(themes []Theme) Reply {
	lines := make([]string, 0, len(themes)+1)
	for _, t := range themes {
		measure := "total: amounts add up"
		if t.Measure == MeasureRate {
			measure = "rate: the latest value each business reports"
		}
		if t.IsShare() {
			measure += ", a percentage from 0 to 100"
		}
		line := fmt.Sprintf("%s — %s; unit: %s; %s", t.Key, t.Name, t.Unit, measure)
		if t.Council != "" {
			line += "; council measure: " + t.Council
		}
		lines = append(lines, line)
	}
	lines = append(lines, "", "Use the key with theme:, e.g. /pledge add \"Give 40 hours to the food bank\" theme:volunteering target:40")
	return Reply{Title: "Pledge themes", Text: strings.Join(lines, "\n")}
}

func roleNote(s *Subcommand) string {
	if s.MinRole >= RoleCouncil {
		return " (" + s.MinRole.String() + "s and above)"
	}
	return ""
}
