package discord

import (
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

// Custom ids carry everything a later interaction needs, so any replica can
// answer it without shared state: "r:<command text>" on buttons (pressing
// runs the text as if typed), "m:<command> <sub>?<options given so far>" on
// modals. Discord limits custom ids to 100 characters.
const (
	runPrefix   = "r:"
	modalPrefix = "m:"
	maxCustomID = 100
	maxInputs   = 5 // text inputs per modal
)

// modalFor asks, in a modal, for the options of s that are required but
// missing from raw, plus the missing positional ones (the note beside an
// amount) and those the spec marks Ask (a business's legal form and size). It returns nil when nothing required is missing, or when a
// missing option can't be typed into a text box.
func modalFor(c *bot.Command, s *bot.Subcommand, raw map[string]string, share bool) *discordgo.InteractionResponse {
	var missing, extra []bot.Option
	for _, o := range s.Options {
		if _, given := raw[o.Name]; given {
			continue
		}
		switch {
		case o.Required && (o.Type == bot.User || isConfirm(o)):
			return nil
		case o.Required:
			missing = append(missing, o)
		case (o.Positional || o.Ask) && o.Type != bot.User && !isConfirm(o):
			extra = append(extra, o)
		}
	}
	if len(missing) == 0 || len(missing) > maxInputs {
		return nil
	}
	q := url.Values{}
	for k, v := range raw {
		q.Set(k, v)
	}
	if share {
		q.Set(shareOption, "1")
	}
	id := modalPrefix + strings.TrimSpace(c.Name+" "+s.Name)
	if len(q) > 0 {
		id += "?" + q.Encode()
	}
	if len(id) > maxCustomID {
		return nil
	}
	var rows []discordgo.MessageComponent
	for _, o := range append(missing, extra...) {
		if len(rows) == maxInputs {
			break
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{textInput(o)}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: id, Title: clip(strings.TrimSpace("/"+c.Name+" "+s.Name), 45), Components: rows}}
}

func textInput(o bot.Option) discordgo.TextInput {
	in := discordgo.TextInput{CustomID: o.Name, Label: clip(label(o.Name), 45), Style: discordgo.TextInputShort,
		Placeholder: clip(o.Help, 100), Required: o.Required}
	switch o.Type {
	case bot.Text:
		in.MaxLength = min(textMax(o), 4000)
		if isLongText(o) {
			in.Style = discordgo.TextInputParagraph
		}
	case bot.Date:
		in.MaxLength, in.Placeholder = bot.MaxDateLen, "31/03/2027, 31 March or next friday"
	case bot.Number, bot.Ref:
		in.MaxLength = 20
	default:
		in.MaxLength = 100
	}
	return in
}

// label turns an option name into a form label: "add-member" -> "Add member".
func label(name string) string {
	s := strings.NewReplacer("-", " ", "_", " ").Replace(name)
	if s == "" {
		return "Value"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// parseModalID reads a modal's custom id back.
func parseModalID(id string) (command, sub string, raw map[string]string, share, ok bool) {
	rest, found := strings.CutPrefix(id, modalPrefix)
	if !found {
		return "", "", nil, false, false
	}
	head, query, _ := strings.Cut(rest, "?")
	command, sub, _ = strings.Cut(head, " ")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", "", nil, false, false
	}
	raw = map[string]string{}
	for k, v := range q {
		if len(v) > 0 {
			raw[k] = v[0]
		}
	}
	share = raw[shareOption] == "1"
	delete(raw, shareOption)
	return command, sub, raw, share, true
}

func findOption(s *bot.Subcommand, name string) *bot.Option {
	for i := range s.Options {
		if s.Options[i].Name == name {
			return &s.Options[i]
		}
	}
	return nil
}
