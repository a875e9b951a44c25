package report

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
	"golang.org/x/text/unicode/norm"
)

// Bounds of what a confirm page visitor types.
const (
	MaxName = 60
	MaxNote = 300 // as /pledge query's note
)

// checkForm is one posted confirm page form.
type checkForm struct {
	Entry     int
	Query     bool
	Name      string
	Note      string
	Req, CSRF string
}

// parseCheckForm reads a posted form. Its errors are fit for the page.
func parseCheckForm(v url.Values) (checkForm, error) {
	var f checkForm
	k, err := strconv.Atoi(v.Get("entry"))
	if err != nil || k < 1 || k > 1e6 {
		return f, errors.New("The form names no progress entry; reload the page and try again.")
	}
	f.Entry = k
	switch v.Get("do") {
	case "confirm":
	case "query":
		f.Query = true
	default:
		return f, errors.New("Choose Confirm or Query.")
	}
	f.Req, f.CSRF = v.Get("req"), v.Get("csrf")
	if len(f.Req) != 22 || len(f.CSRF) > 64 {
		return f, errors.New("The form is incomplete; reload the page and try again.")
	}
	if f.Name, err = visitorName(v.Get("name")); err != nil {
		return f, err
	}
	note := norm.NFC.String(strings.TrimSpace(bot.StripFormat(v.Get("note"))))
	switch {
	case !utf8.ValidString(note) || strings.IndexFunc(note, unicode.IsControl) >= 0:
		return f, errors.New("The note contains a control character.")
	case utf8.RuneCountInString(note) > MaxNote:
		return f, errors.New("The note is too long (at most " + strconv.Itoa(MaxNote) + " characters).")
	case f.Query && note == "":
		return f, errors.New("To query an entry, say in the note what is in doubt.")
	}
	if f.Query {
		f.Note = note
	}
	return f, nil
}

// visitorName checks the name a visitor gives: letters, digits, spaces and
// the marks names use ('’-, and a full stop ending a word, as in "J. Smith"
// but not "example.com": a name must never read as a link in chat), NFC.
func visitorName(s string) (string, error) {
	if _, ok := bot.FormatChar(s); ok || !utf8.ValidString(s) {
		return "", errors.New("Your name contains an invisible or invalid character.")
	}
	s = norm.NFC.String(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return "", errors.New("Give your name: the business sees who confirmed or queried.")
	}
	if utf8.RuneCountInString(s) > MaxName {
		return "", errors.New("Your name is too long (at most " + strconv.Itoa(MaxName) + " characters).")
	}
	rs := []rune(s)
	for i, r := range rs {
		ok := unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || r == ' ' || strings.ContainsRune("'’-", r) ||
			(r == '.' && (i+1 == len(rs) || rs[i+1] == ' '))
		if !ok {
			return "", errors.New("Your name may hold letters, digits, spaces, apostrophes, hyphens and full stops ending a word.")
		}
	}
	return s, nil
}
