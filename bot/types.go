package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Platform names the chat system a person or message belongs to.
type Platform string

const (
	Console Platform = "console"
	Slack   Platform = "slack"
	Discord Platform = "discord"
)

// Identity is a person: never a display name, always the platform's own id
// inside one workspace (Slack team, Discord guild, or the local console).
type Identity struct {
	Platform  Platform
	Workspace string
	User      string
}

// Valid reports whether every part is safe to embed in a storage key.
func (id Identity) Valid() bool {
	return ValidUser(string(id.Platform)) && ValidUser(id.Workspace) && ValidUser(id.User)
}

// Key is the stable string form, "platform:workspace:user".
func (id Identity) Key() string {
	return string(id.Platform) + ":" + id.Workspace + ":" + id.User
}

// ParseIdentity is the inverse of Key.
func ParseIdentity(s string) (Identity, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 {
		return Identity{}, fmt.Errorf("identity %q: want platform:workspace:user", s)
	}
	id := Identity{Platform(parts[0]), parts[1], parts[2]}
	if !id.Valid() {
		return Identity{}, fmt.Errorf("identity %q: only letters, digits, '.', '_' and '-' are allowed", s)
	}
	return id, nil
}

// Request is one command from a person, already translated by an adapter.
type Request struct {
	// ID is the platform's delivery id (Slack trigger_id, Discord interaction
	// id). Repeated deliveries of one ID have one effect. Empty means none.
	ID      string
	From    Identity
	Name    string // display name, for replies only
	Channel string
	Command string // without the slash: "pledge"
	Text    string // everything after the command
	// Args, when set with Sub, are already-typed options (Discord); Text is
	// then ignored.
	Sub  string
	Args *Args
	Time time.Time
	// Resolved is what the request names in the spec, once Bot.Resolve
	// has looked (an adapter before Handle, or Handle itself); nil before.
	Resolved *Resolved
}

// Reply is what a command answers, in platform-neutral form. Adapters render
// it; user text inside stays raw and is escaped by the adapter.
type Reply struct {
	Title   string
	Text    string
	Items   []Item
	Fields  []Field
	Actions []Action
	Public  bool   // share in channel instead of only to the caller
	Err     *Error // set when the command was refused
	File    *File
}

// Item is one entry of a list: a pledge, a business, a decision.
type Item struct {
	Title    string
	Text     string
	Progress *Progress
	Actions  []Action
	// Ref is what the item is, e.g. "#7", for adapters that must name it
	// beside its buttons (Discord's sit under the whole message).
	Ref string
}

// Field is a labelled value.
type Field struct {
	Label string
	Value string
}

// Progress is delivered against target, in a unit.
type Progress struct {
	Done   float64
	Target float64
	Unit   string
}

// Percent is Done as a share of Target in whole percent, rounded by the
// rule in text.go (RoundPercent); 0 when there is no target.
func (p Progress) Percent() int {
	pct, _ := RoundPercent(p.Done, p.Target)
	return pct
}

// Action is a button: pressing it runs Command as if typed by the presser.
type Action struct {
	Label   string
	Command string // e.g. "pledge done 7"
	Style   string // "", "primary" or "danger"
}

// File is a downloadable attachment (exports).
type File struct {
	Name    string
	Type    string
	Content []byte
}

// Recipient is where a Notice goes: a person directly or a channel.
type Recipient struct {
	Platform  Platform
	Workspace string
	User      string // direct message when set
	Channel   string
}

// Notice is a message the bot sends by itself (nudges, digests).
type Notice struct {
	ID        string // idempotency id for the send
	Community string
	To        Recipient
	Reply     Reply
}

// Errorf helper to build a refusing reply.
func ErrorReply(err error) Reply {
	return Reply{Err: &Error{Code: ErrorCode(err), Message: ErrorMessage(err)}}
}

// ValidUser reports whether s is a usable user or workspace id: up to 64
// bytes of ASCII letters and digits, '.', '_', '-', and letters, marks and
// digits of any script (a console name like zoë or Siân), in NFC so one
// name is one id (see NormalUser). Nothing else: ':' would split a storage
// key, braces would change a cluster hash tag.
func ValidUser(s string) bool {
	// A loop, not a regexp: every request checks several of these.
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			continue
		}
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return ascii || validUnicodeUser(s)
}

func validUnicodeUser(s string) bool {
	if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
		return false
	}
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf:
		case unicode.IsMark(r) && i == 0: // a mark would attach to the @ before it
			return false
		case !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r):
			return false
		}
	}
	return true
}

// NormalUser is a typed name in the form ValidUser asks for: NFC, so zoë
// typed with a combining diaeresis is the same person as zoë typed with
// the precomposed letter.
func NormalUser(s string) string { return norm.NFC.String(s) }

// MarshalText writes an identity as its key, so exports read
// "slack:T1:U2" rather than a nested object.
func (id Identity) MarshalText() ([]byte, error) { return []byte(id.Key()), nil }

// UnmarshalText reads an identity key.
func (id *Identity) UnmarshalText(b []byte) error {
	v, err := ParseIdentity(string(b))
	if err == nil {
		*id = v
	}
	return err
}
