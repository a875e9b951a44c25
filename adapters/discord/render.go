package discord

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

// Discord's message limits. Long replies are split over several embeds and
// messages, never cut silently and never rejected by Discord.
const (
	maxEmbeds      = 10
	maxEmbedDesc   = 4096
	maxEmbedTitle  = 256
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxMessageText = 6000
	maxButtons     = 5
	maxRows        = 5
	maxButtonLabel = 80
)

const (
	colorOK    = 0x2E7D32
	colorError = 0xC62828
)

// message is one Discord message's worth of a reply.
type message struct {
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	File       *bot.File // attached to the message (exports)
}

// MaxFile is the attachment size every Discord server accepts.
const MaxFile = 10 << 20

// files is a message's attachment in discordgo's form; a fresh reader each
// time, as a retried request reads it again.
func (m message) files() []*discordgo.File {
	if m.File == nil {
		return nil
	}
	return []*discordgo.File{{Name: m.File.Name, ContentType: m.File.Type, Reader: bytes.NewReader(m.File.Content)}}
}

// errorTitles say no the way each refusal deserves; the message says why.
var errorTitles = map[bot.Code]string{
	bot.Invalid:     "That didn't work",
	bot.NotFound:    "Not found",
	bot.Forbidden:   "Not allowed",
	bot.Conflict:    "Already changed",
	bot.Unavailable: "Please try again shortly",
	bot.Internal:    "Something went wrong",
}

// noMentions goes on every message: nothing in it may ping anyone, whatever
// a pledge's text says.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// render turns a reply into one or more messages within Discord's limits.
// Buttons go on the last message, under the items they act on.
func render(b *bot.Bot, r bot.Reply) []message {
	if r.Err != nil {
		var out []message
		for _, d := range splitText(text(r.Err.Message), maxEmbedDesc) {
			out = append(out, message{Embeds: []*discordgo.MessageEmbed{{Description: d, Color: colorError}}})
		}
		if len(out) == 0 {
			out = []message{{Embeds: []*discordgo.MessageEmbed{{Description: "Sorry, that didn't work.", Color: colorError}}}}
		}
		out[0].Embeds[0].Title = errorTitles[r.Err.Code]
		return out
	}
	var embeds []*discordgo.MessageEmbed
	title := clipMD(text(r.Title), maxEmbedTitle)
	for _, d := range splitText(text(r.Text), maxEmbedDesc) {
		embeds = append(embeds, &discordgo.MessageEmbed{Description: d, Color: colorOK})
	}
	if len(r.Fields) > 0 {
		var fields []*discordgo.MessageEmbedField
		for _, f := range r.Fields {
			name := clipMD(text(f.Label), maxFieldName)
			for i, v := range splitText(text(f.Value), maxFieldValue) {
				if i > 0 {
					name = clipMD(text(f.Label), maxFieldName-10) + " (cont.)"
				}
				fields = append(fields, &discordgo.MessageEmbedField{Name: orDash(name), Value: v})
			}
		}
		// Each embed takes fields while it stays within 25 fields and well
		// within a message's 6000 characters (the title may join it).
		var cur *discordgo.MessageEmbed
		if len(embeds) > 0 {
			cur = embeds[len(embeds)-1]
		}
		for _, f := range fields {
			if cur == nil || len(cur.Fields) == maxFields || embedSize(cur)+fieldsSize([]*discordgo.MessageEmbedField{f}) > maxMessageText-maxEmbedTitle {
				cur = &discordgo.MessageEmbed{Color: colorOK}
				embeds = append(embeds, cur)
			}
			cur.Fields = append(cur.Fields, f)
		}
	}
	var items []string
	var actions []bot.Action
	actions = append(actions, r.Actions...)
	for _, it := range r.Items {
		items = append(items, itemText(it))
		actions = append(actions, itemActions(it)...)
	}
	for _, d := range pack(items, maxEmbedDesc) {
		embeds = append(embeds, &discordgo.MessageEmbed{Description: d, Color: colorOK})
	}
	if len(embeds) == 0 {
		embeds = append(embeds, &discordgo.MessageEmbed{Color: colorOK})
	}
	embeds[0].Title = title
	if embeds[0].Title == "" && embeds[0].Description == "" && len(embeds[0].Fields) == 0 {
		embeds[0].Description = "Done."
	}
	if r.File != nil && len(r.File.Content) > MaxFile {
		// Too big to attach anywhere: say so rather than drop it.
		embeds[len(embeds)-1].Footer = &discordgo.MessageEmbedFooter{Text: clip(fmt.Sprintf(
			"%s is too large to attach here (%d MB); narrow the export and try again.", plainText(r.File.Name), len(r.File.Content)>>20), 2048)}
	}
	out := packMessages(embeds)
	out[len(out)-1].Components = buttons(actions)
	if r.File != nil && len(r.File.Content) <= MaxFile {
		out[len(out)-1].File = r.File
	}
	return out
}

// itemText is one list entry: bold title, details, progress bar.
func itemText(it bot.Item) string {
	var b strings.Builder
	b.WriteString("**" + clipMD(text(it.Title), 300) + "**")
	if it.Text != "" {
		b.WriteString("\n" + clipMD(text(it.Text), 1500))
	}
	if it.Progress != nil {
		// Not a code span: the unit is user text, and Escape is what
		// keeps it inert.
		b.WriteString("\n" + Escape(bot.ProgressLine(*it.Progress)))
	}
	return b.String()
}

// itemActions are an item's buttons as it declares them, labelled with
// what the item is: Discord shows every button under the whole message.
func itemActions(it bot.Item) []bot.Action {
	var out []bot.Action
	for _, a := range it.Actions {
		if it.Ref != "" {
			a.Label += " " + it.Ref
		}
		out = append(out, a)
	}
	return out
}

// buttons lays actions out in rows; actions whose command does not fit a
// custom id, or beyond Discord's 25 buttons, are left to the text commands
// the reply shows.
func buttons(actions []bot.Action) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	seen := map[string]bool{}
	for _, a := range actions {
		id := runPrefix + a.Command
		if len(id) > maxCustomID || seen[id] || strings.TrimSpace(a.Command) == "" {
			continue
		}
		seen[id] = true
		style := discordgo.SecondaryButton
		switch a.Style {
		case "primary":
			style = discordgo.PrimaryButton
		case "danger":
			style = discordgo.DangerButton
		}
		row = append(row, discordgo.Button{Label: clip(orDash(bot.RenderMentions(a.Label, func(s string) string { return s }, bot.PlainMention)), maxButtonLabel), Style: style, CustomID: id})
		if len(row) == maxButtons {
			rows, row = append(rows, discordgo.ActionsRow{Components: row}), nil
			if len(rows) == maxRows {
				return rows
			}
		}
	}
	if len(row) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}

// packMessages groups embeds into messages of at most 10 embeds and 6000
// characters.
func packMessages(embeds []*discordgo.MessageEmbed) []message {
	var out []message
	cur, size := message{}, 0
	for _, e := range embeds {
		n := embedSize(e)
		if len(cur.Embeds) > 0 && (len(cur.Embeds) == maxEmbeds || size+n > maxMessageText) {
			out, cur, size = append(out, cur), message{}, 0
		}
		cur.Embeds, size = append(cur.Embeds, e), size+n
	}
	return append(out, cur)
}

// embedSize counts what Discord counts towards the 6000 characters.
func embedSize(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description) + fieldsSize(e.Fields)
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	return n
}

func fieldsSize(fs []*discordgo.MessageEmbedField) int {
	n := 0
	for _, f := range fs {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	return n
}

// pack joins entries with blank lines into chunks of at most limit
// characters; an entry longer than limit is split on its own.
func pack(entries []string, limit int) []string {
	var out []string
	var cur strings.Builder
	curLen := 0
	for _, e := range entries {
		for _, part := range splitText(e, limit) {
			n := utf8.RuneCountInString(part)
			if curLen > 0 && curLen+2+n > limit {
				out, curLen = append(out, cur.String()), 0
				cur.Reset()
			}
			if curLen > 0 {
				cur.WriteString("\n\n")
				curLen += 2
			}
			cur.WriteString(part)
			curLen += n
		}
	}
	if curLen > 0 {
		out = append(out, cur.String())
	}
	return out
}

// splitText cuts s into pieces of at most limit characters, at line breaks
// where possible. Empty s gives no pieces.
func splitText(s string, limit int) []string {
	var out []string
	for s != "" {
		if utf8.RuneCountInString(s) <= limit {
			return append(out, s)
		}
		r := []rune(s)
		cut := limit
		for i := limit; i > limit/2; i-- {
			if r[i] == '\n' {
				cut = i
				break
			}
		}
		cut = safeCut(r, cut)
		out = append(out, string(r[:cut]))
		s = strings.TrimPrefix(string(r[cut:]), "\n")
	}
	return out
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// text renders reply text for Discord markdown: the bot's own mentions
// become real mentions for Discord people (still pinging nobody:
// allowed_mentions is empty) and plain names for others; everything else
// is user text, passed through Escape.
func text(s string) string {
	return bot.RenderMentions(s, Escape, mention)
}

// plainText renders reply text where Discord shows no markdown (footers):
// nothing to escape, mentions are plain names.
func plainText(s string) string {
	return bot.RenderMentions(s, func(s string) string { return s }, bot.PlainMention)
}

func mention(id bot.Identity) string {
	if id.Platform == bot.Discord && isSnowflake(id.User) {
		return "<@" + id.User + ">"
	}
	return "@" + Escape(id.User)
}

// Escape is the one way user text (a pledge's text or unit, a business
// name, a note, a theme name, an s172 field, a person's name) enters
// Discord markdown, whatever formatting surrounds it: it shows exactly as
// typed and never formats, links or mentions.
//
//   - Every character Discord's markdown gives a meaning anywhere in a
//     line is escaped with a backslash: \ * _ ~ ` | (emphasis, code,
//     spoilers), [ ] (masked links), < > (<@user>, <@&role>, <#channel>,
//     </command:id>, <t:…>, <:emoji:id>, <https://…>).
//   - At the start of a line (of the text, or after a line break) the
//     block markers are escaped too: # (headings), - and + (lists, -#
//     subtext), 1. (numbered lists).
//   - @everyone and @here get a zero-width space after the @: with
//     allowed_mentions empty they could not ping anyway, this keeps them
//     from even looking like a mention.
//
// Because backticks are escaped, user text is never put inside a code
// span (an escape does nothing there): a bar or amount the bot formats
// goes through Escape as plain text instead.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	lineStart := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case strings.ContainsRune(markdownSpecials, r):
			b.WriteByte('\\')
			lineStart = false
		case lineStart && strings.ContainsRune("#-+", r):
			b.WriteByte('\\')
			lineStart = false
		case lineStart && r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			b.WriteString(s[i:j])
			if j < len(s) && s[j] == '.' {
				b.WriteString("\\.")
				j++
			}
			i, lineStart = j, false
			continue
		case r == '@' && broadcastWord(s[i+1:]):
			b.WriteString("@\u200b")
			i += n
			lineStart = false
			continue
		case r == '\n':
			lineStart = true
		case r == ' ' || r == '\t':
		default:
			lineStart = false
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}

// broadcastWord reports whether s starts with "everyone" or "here", in
// any case.
func broadcastWord(s string) bool {
	w := strings.ToLower(s[:min(len(s), 8)])
	return strings.HasPrefix(w, "everyone") || strings.HasPrefix(w, "here")
}

// markdownSpecials are escaped wherever they stand.
const markdownSpecials = "\\*_~`|[]<>"

// clipMD shortens escaped markdown like clip, never leaving an escaping
// backslash at the cut (it would escape the markup that follows).
func clipMD(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	return string(r[:safeCut(r, len(r))]) + "…"
}

// safeCut moves a cut at rs[:cut] back by one when it would end on an
// escaping backslash.
func safeCut(rs []rune, cut int) int {
	k := 0
	for i := cut - 1; i >= 0 && rs[i] == '\\'; i-- {
		k++
	}
	if k%2 == 1 {
		return cut - 1
	}
	return cut
}

func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
