package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pledgebot/pledgebot/bot"
)

// Workspace is the console's workspace id.
const Workspace = "local"

// Console reads commands from in and writes replies to out.
type Console struct {
	bot    *bot.Bot
	in     io.Reader
	out    io.Writer
	user   string
	prompt bool
	mu     sync.Mutex // out is shared with Send
	// ExportDir receives files that replies carry (exports); relative
	// paths are under the working directory. Empty: files are not written
	// (text ones are still shown inline).
	ExportDir string
	// AfterLine, when set, runs after each command's reply is printed:
	// pledgebot console sends what the command queued in the outbox there
	// (a partner's notices), so it prints before the next prompt instead of
	// never (the console runs no scheduler).
	AfterLine func(ctx context.Context)
}

// New builds a console acting as user. prompt shows "user> " before each
// line (for terminals).
func New(b *bot.Bot, in io.Reader, out io.Writer, user string, prompt bool) *Console {
	return &Console{bot: b, in: in, out: out, user: user, prompt: prompt}
}

// Identity is the console person called name.
func Identity(name string) bot.Identity {
	return bot.Identity{Platform: bot.Console, Workspace: Workspace, User: name}
}

// Run handles lines until the input ends, /quit, or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	sc := bufio.NewScanner(c.in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for c.showPrompt(); sc.Scan(); c.showPrompt() {
		if ctx.Err() != nil {
			return nil
		}
		if quit := c.line(ctx, strings.TrimSpace(sc.Text())); quit {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("console input: %w", err)
	}
	return nil
}

func (c *Console) showPrompt() {
	if c.prompt {
		c.print(c.user + "> ")
	}
}

func (c *Console) line(ctx context.Context, line string) (quit bool) {
	switch {
	case line == "" || strings.HasPrefix(line, "#"):
		return false
	case line == "/quit" || line == "/exit":
		return true
	case !strings.HasPrefix(line, "/"):
		c.println("Commands start with a slash. Try /help.")
		return false
	}
	name, rest, _ := strings.Cut(line[1:], " ")
	if name == "as" {
		c.switchUser(strings.TrimPrefix(strings.TrimSpace(rest), "@"))
		return false
	}
	reply := c.bot.Handle(ctx, bot.Request{From: Identity(c.user), Name: c.user, Channel: "console",
		Command: name, Text: rest})
	if strings.EqualFold(name, "help") && strings.TrimSpace(rest) == "" && reply.Err == nil {
		reply.Text += "\n\nIn this console only:\n" + consoleHelp
	}
	c.println(bot.PlainText(reply))
	if c.AfterLine != nil {
		defer c.AfterLine(ctx)
	}
	// A terminal can't download an attachment: show text files inline.
	if f := reply.File; f != nil && strings.HasPrefix(f.Type, "text/") {
		c.println("----- " + f.Name + " -----\n" + strings.TrimRight(string(f.Content), "\n") + "\n----- end of " + f.Name + " -----")
	}
	// With an export directory (pledgebot console sets one) files are also
	// written there and their absolute path printed.
	if reply.File != nil && reply.Err == nil && c.ExportDir != "" {
		if path, err := c.saveFile(reply.File); err != nil {
			c.println("Sorry: could not write the file: " + err.Error())
		} else {
			c.println("Saved to " + path)
		}
	}
	return false
}

// consoleHelp lists what only the console understands; /help adds it to
// the commands every platform shares.
const consoleHelp = `/as NAME — act as someone else from now on
/quit or /exit — leave the console`

func (c *Console) switchUser(name string) {
	name = bot.NormalUser(name)
	if !bot.ValidUser(name) {
		c.println("Sorry: /as needs a name of letters (any script), digits, '.', '_' or '-', e.g. /as alice or /as zoë")
		return
	}
	c.user = name
	c.println("Now acting as " + name + ".")
}

// Send prints a notice the bot sends by itself: "[to NAME]" for a direct
// message, "[#CHANNEL]" for a channel.
func (c *Console) Send(_ context.Context, n bot.Notice) error {
	to := "[#" + n.To.Channel + "]"
	if n.To.User != "" {
		to = "[to " + n.To.User + "]"
	}
	c.println(to + " " + strings.ReplaceAll(bot.PlainText(n.Reply), "\n", "\n"+strings.Repeat(" ", len(to)+1)))
	return nil
}

func (c *Console) println(s string) { c.print(s + "\n") }

func (c *Console) print(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	io.WriteString(c.out, s)
}
