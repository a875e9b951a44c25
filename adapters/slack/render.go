package slack

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
)

// Block Kit limits that long replies (digests) run into.
const (
	MaxBlocks      = 50   // blocks per message
	MaxSectionText = 3000 // characters per section text
	maxButtons     = 25   // elements per actions block
)

var broadcast = strings.NewReplacer("@channel", "@\u200bchannel", "@here", "@\u200bhere", "@everyone", "@\u200beveryone")

// escape makes user text inert in mrkdwn: with &, < and > escaped Slack sees
// no <!channel>, <!here> or <@U…> control sequence, and the zero-width space
// keeps a bare @here from being linked by clients that do so.
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>@") {
		return s // the common case: nothing to do, nothing allocated
	}
	s = entities.Replace(s)
	if strings.Contains(s, "@") {
		s = broadcast.Replace(s)
	}
	return s
}

var entities = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

var slackUser = regexp.MustCompile(`^[UW][A-Z0-9]{1,30}$`)

// renderer turns platform-neutral replies into Block Kit for one Slack team.
type renderer struct {
	team string // mentions of people in this team become real mentions
}

// mrkdwn escapes s and turns the bot's own mention markers into <@U…> for
// Slack people of the same team; anyone else is named in plain text.
func (r renderer) mrkdwn(s string) string {
	return bot.RenderMentions(s, escape, func(id bot.Identity) string {
		if id.Platform == bot.Slack && id.Workspace == r.team && slackUser.MatchString(id.User) {
			return "<@" + id.User + ">"
		}
		return "@" + escape(id.User)
	})
}

func section(text string) *slackapi.SectionBlock {
	return slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, false), nil, nil)
}

// sections splits escaped text into as many sections as it needs.
func sections(text string) []slackapi.Block {
	var out []slackapi.Block
	for _, part := range splitText(text, MaxSectionText) {
		out = append(out, section(part))
	}
	return out
}

// Blocks renders a reply. Nothing is dropped: long text becomes several
// sections, and Messages splits the result into messages.
func (r renderer) Blocks(reply bot.Reply) []slackapi.Block {
	if reply.Err != nil {
		return sections(":warning: " + r.mrkdwn(reply.Err.Message))
	}
	var out []slackapi.Block
	if reply.Title != "" {
		out = append(out, sections("*"+r.mrkdwn(reply.Title)+"*")...)
	}
	if reply.Text != "" {
		out = append(out, sections(r.mrkdwn(reply.Text))...)
	}
	for _, it := range reply.Items {
		out = append(out, r.item(it)...)
	}
	if len(reply.Fields) > 0 {
		var lines []string
		for _, f := range reply.Fields {
			lines = append(lines, "*"+r.mrkdwn(f.Label)+":* "+r.mrkdwn(f.Value))
		}
		out = append(out, sections(strings.Join(lines, "\n"))...)
	}
	out = append(out, r.actions(reply.Actions)...)
	if reply.File != nil {
		out = append(out, r.file(*reply.File)...)
	}
	if len(out) == 0 {
		out = sections("Done.")
	}
	return out
}

func (r renderer) item(it bot.Item) []slackapi.Block {
	lines := []string{"*" + r.mrkdwn(it.Title) + "*"}
	if it.Text != "" {
		lines = append(lines, r.mrkdwn(it.Text))
	}
	if it.Progress != nil {
		lines = append(lines, escape(bot.ProgressLine(*it.Progress)))
	}
	out := sections(strings.Join(lines, "\n"))
	return append(out, r.actions(it.Actions)...)
}

// actionPrefix marks action_ids this adapter owns; the value is the command.
const actionPrefix = "pb:"

func (r renderer) actions(acts []bot.Action) []slackapi.Block {
	var out []slackapi.Block
	for start := 0; start < len(acts); start += maxButtons {
		var els []slackapi.BlockElement
		for i, a := range acts[start:min(len(acts), start+maxButtons)] {
			btn := slackapi.NewButtonBlockElement(fmt.Sprintf("%s%d", actionPrefix, start+i),
				clipRunes(a.Command, 2000), slackapi.NewTextBlockObject(slackapi.PlainTextType, clipRunes(a.Label, 75), false, false))
			if a.Style == "primary" || a.Style == "danger" {
				btn = btn.WithStyle(slackapi.Style(a.Style))
			}
			els = append(els, btn)
		}
		out = append(out, slackapi.NewActionBlock("", els...))
	}
	return out
}

// file shows an attachment's text inline (the reply channel of a slash
// command cannot carry files), split like any long text.
func (r renderer) file(f bot.File) []slackapi.Block {
	out := sections("*" + escape(f.Name) + "*")
	if !utf8.Valid(f.Content) {
		return append(out, sections("(binary file, "+fmt.Sprint(len(f.Content))+" bytes: not shown in Slack)")...)
	}
	for _, part := range splitText(escape(string(f.Content)), MaxSectionText-8) {
		out = append(out, section("```"+part+"```"))
	}
	return out
}

// Messages cuts blocks into messages of at most MaxBlocks.
func Messages(blocks []slackapi.Block) [][]slackapi.Block {
	var out [][]slackapi.Block
	for len(blocks) > MaxBlocks {
		out = append(out, blocks[:MaxBlocks])
		blocks = blocks[MaxBlocks:]
	}
	return append(out, blocks)
}

// fallback is the notification text of a message: short, plain, escaped.
func (r renderer) fallback(reply bot.Reply) string {
	return escape(clipRunes(bot.PlainText(reply), 300))
}

// splitText cuts escaped mrkdwn into parts of at most max characters,
// preferring line breaks, then spaces, and never cutting through an entity
// (&amp;) or a <…> sequence.
func splitText(s string, max int) []string {
	var out []string
	for utf8.RuneCountInString(s) > max {
		rs := []rune(s)
		cut := max
		if i := lastIndex(rs[:max], '\n'); i > max/2 {
			cut = i + 1
		} else if i := lastIndex(rs[:max], ' '); i > max/2 {
			cut = i + 1
		}
		cut = safeCut(rs, cut)
		out = append(out, strings.TrimRight(string(rs[:cut]), "\n"))
		s = string(rs[cut:])
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

func lastIndex(rs []rune, r rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

// safeCut moves a cut back before an entity or <…> it would split.
func safeCut(rs []rune, cut int) int {
	for i := cut - 1; i >= 0 && i >= cut-40; i-- {
		switch rs[i] {
		case ';', '>':
			return cut
		case '&', '<':
			if i > 0 {
				return i
			}
			return cut
		}
	}
	return cut
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
