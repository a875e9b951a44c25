package bot

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ChoiceSource supplies runtime choice lists such as the community's themes.
type ChoiceSource func(name string) []string

// MaxLine bounds a whole command line, before any parsing work.
const MaxLine = 4000

type token struct {
	text      string
	raw       string // the word as typed, for option-like words that are text
	quoted    bool   // began with a quote: always positional text
	name      string
	isOpt     bool
	valQuoted bool // name:"value": the quotes say where the value ends
}

var optName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

func isOpenQuote(r rune) bool  { return r == '"' || r == '“' || r == '”' }
func isCloseQuote(r rune) bool { return r == '"' || r == '”' || r == '“' }

// tokenize splits a line into words, honouring "double quotes" (straight or
// curly, as phones and Slack insert them) and \" inside quotes.
func tokenize(line string) ([]token, error) {
	var toks []token
	rs := []rune(line)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		var b strings.Builder
		t := token{quoted: isOpenQuote(rs[i])}
		inQuote := false
		colonAt := -1
		for ; i < len(rs); i++ {
			r := rs[i]
			switch {
			case !inQuote && unicode.IsSpace(r):
				goto done
			case !inQuote && isOpenQuote(r):
				inQuote = true
				t.valQuoted = colonAt >= 0
			case inQuote && r == '\\' && i+1 < len(rs) && isCloseQuote(rs[i+1]):
				i++
				b.WriteRune(rs[i])
			case inQuote && isCloseQuote(r):
				inQuote = false
			default:
				if r == ':' && !inQuote && colonAt < 0 && !t.quoted {
					colonAt = b.Len()
				}
				b.WriteRune(r)
			}
		}
	done:
		if inQuote {
			return nil, fmt.Errorf("a quote is not closed: add the closing \" after the quoted text")
		}
		t.text = b.String()
		t.raw = t.text
		if colonAt > 0 {
			name := strings.ToLower(t.text[:colonAt])
			if optName.MatchString(name) && !strings.HasPrefix(t.text[colonAt+1:], "//") {
				t.name, t.isOpt = name, true
				t.text = t.text[colonAt+1:]
			}
		}
		toks = append(toks, t)
	}
	return toks, nil
}

// Parse reads the text after a subcommand into typed Args, checking every
// option against the spec: Split, then Typed. Errors are *Error with code
// Invalid and say what to do instead.
func (c *Command) Parse(s *Subcommand, line string, choices ChoiceSource) (*Args, error) {
	raw, err := c.Split(s, line)
	if err != nil {
		return nil, err
	}
	return c.Typed(s, raw, choices)
}

// Split reads the text after a subcommand into each option's value as
// typed, not yet checked against its type: name:value words and the
// positional words in order, with quotes, multi-word dates and values that
// run on (Option.Then, Greedy) read as Parse reads them. It is the one
// splitter of command text: adapters use it on a button's command to see
// which options a form must still ask for. Errors are Parse's.
func (c *Command) Split(s *Subcommand, line string) (map[string]string, error) {
	if len(line) > MaxLine {
		return nil, c.usageErr(s, "that command is too long (%d characters; at most %d)", len(line), MaxLine)
	}
	if !utf8.ValidString(line) {
		return nil, c.usageErr(s, "the text is not valid UTF-8")
	}
	toks, err := tokenize(line)
	if err != nil {
		return nil, c.usageErr(s, "%v", err)
	}
	raw := map[string]string{}
	var positional []string
	var posToks []token // the words of positional, for the ambiguity check
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.isOpt {
			o := s.option(t.name)
			switch {
			case o != nil && !o.Positional:
				if _, dup := raw[o.Name]; dup {
					return nil, c.usageErr(s, "%s: is given twice", o.Name)
				}
				if t.text == "" {
					return nil, c.usageErr(s, "%s: needs a value, e.g. %s:%s", o.Name, o.Name, placeholder(*o))
				}
				first := i
				raw[o.Name], i = s.value(*o, toks, i)
				if !toks[first].valQuoted && i+1 < len(toks) {
					if msg := s.ambiguous(*o, raw[o.Name], toks[i+1]); msg != "" {
						return nil, c.usageErr(s, "%s", msg)
					}
				}
				continue
			case t.text != "":
				if hint := s.hint(t.name); hint != "" {
					return nil, c.usageErr(s, "%s", hint)
				}
				return nil, c.usageErr(s, "there is no option %q here%s%s. If it is part of your text, put the text in \"quotes\"", t.name+":", s.didYouMean(t.name), s.optionList())
			}
			t.text = t.raw // a word like "Note:" is just text
		}
		positional = append(positional, t.text)
		posToks = append(posToks, t)
	}
	for _, o := range s.Options {
		if !o.Positional {
			continue
		}
		if len(positional) == 0 {
			break
		}
		if o.Rest {
			raw[o.Name] = strings.Join(positional, " ")
			positional = nil
			break
		}
		// A positional number is followed by more positionals or the text:
		// only digits or a multiplier after it are ambiguous (7 1 000).
		if o.Type == Number && len(posToks) > 1 && !posToks[1].quoted && numberWord.MatchString(posToks[1].raw) {
			return nil, c.usageErr(s, "%s %s is ambiguous: write the number without spaces (e.g. 1000 or 1,000 or 2k); if %q begins the %s, put it in \"quotes\"",
				positional[0], clip(posToks[1].raw, 40), clip(posToks[1].raw, 40), s.nextPositional(o))
		}
		raw[o.Name], positional, posToks = positional[0], positional[1:], posToks[1:]
	}
	if len(positional) > 0 {
		return nil, c.usageErr(s, "unexpected %q", strings.Join(positional, " "))
	}
	return raw, nil
}

// value reads option o's value, which starts at toks[i]: the word itself
// and, unless it was quoted, its second half (Option.Then) or the words a
// Greedy value runs on to. It returns the index of the last word used.
func (s *Subcommand) value(o Option, toks []token, i int) (string, int) {
	v := toks[i].text
	if toks[i].valQuoted {
		return v, i
	}
	if o.Type == Date {
		return s.dateWords(toks, i)
	}
	if s.secondHalf(o, v, toks[i+1:]) {
		i++
		v += " " + toks[i].text
	}
	for o.Greedy && i+1 < len(toks) && !s.takesValue(toks[i+1]) {
		i++
		v += " " + toks[i].raw
	}
	return v, i
}

// dateWords reads an unquoted date that may run over several words
// (due:31 March 2027, due:next friday, due:end of the quarter): the longest
// run of plain words from toks[i] that reads as a date, or toks[i] alone.
// A two-digit year after a date that is whole without it, with text after
// (due:1 March 27 volunteers), is left to the text: it may be a count.
func (s *Subcommand) dateWords(toks []token, i int) (string, int) {
	v, last := toks[i].text, i
	words := v
	for j := i + 1; j < len(toks) && j <= i+4 && !toks[j].quoted && !s.takesValue(toks[j]); j++ {
		shorter := words
		words += " " + toks[j].raw
		if _, err := readDate(words); err != nil {
			continue
		}
		textAfter := j+1 < len(toks) && !toks[j+1].isOpt
		if _, whole := readDate(shorter); textAfter && whole == nil && twoDigits.MatchString(toks[j].raw) {
			continue
		}
		v, last = words, j
	}
	return v, last
}

var twoDigits = regexp.MustCompile(`^\d{1,2}$`)

// secondHalf says whether the word after an option's unquoted value
// completes it (see Option.Then).
func (s *Subcommand) secondHalf(o Option, value string, rest []token) bool {
	if o.Then == nil || len(rest) == 0 || rest[0].isOpt || rest[0].quoted {
		return false
	}
	moreText := len(rest) > 1 && !s.takesValue(rest[1])
	return o.Then(value, rest[0].text, moreText)
}

// numberWord is a word that carries on a number: a group of digits
// (target:1 000) or a multiplier (target:2 thousand).
var numberWord = regexp.MustCompile(`(?i)^([0-9][0-9.,]*|k|m|bn|thousand|million|billion)$`)

// ambiguous says why the plain word after an option's unquoted value can't
// be read either way, or "" when it is simply text. Text may follow the
// options, so only a word the person plausibly meant as part of the value
// is refused:
//   - after a OneWord value (unit:raffle prizes), any plain word: the unit
//     may be more than one word, so it must be quoted;
//   - after a Number (target:1 000, target:800 kg), a word that carries on
//     the number (digits, k, thousand...) or is a unit (kg, hours, £...).
//
// A quoted word, or one that starts an option, is never ambiguous.
func (s *Subcommand) ambiguous(o Option, value string, next token) string {
	if next.quoted || s.takesValue(next) {
		return ""
	}
	word := next.raw
	switch {
	case o.OneWord:
		return fmt.Sprintf("%s:%s %s is ambiguous: a %s of more than one word goes in quotes, %s:\"%s %s\"; if %q begins your text, put the text in \"quotes\"",
			o.Name, value, clip(word, 40), o.Name, o.Name, value, clip(word, 40), clip(word, 40))
	case o.Type == Number && numberWord.MatchString(word):
		return fmt.Sprintf("%s:%s %s is ambiguous: write the number without spaces (e.g. %s:1000 or %s:1,000 or %s:2k); if %q begins your text, put the text in \"quotes\"",
			o.Name, value, clip(word, 40), o.Name, o.Name, o.Name, clip(word, 40))
	case o.Type == Number && UnitWord(word):
		return fmt.Sprintf("%s:%s %s is ambiguous: give the unit as its own option, %s:%s unit:%s; if %q begins your text, put the text in \"quotes\"",
			o.Name, value, clip(word, 40), o.Name, value, clip(word, 40), clip(word, 40))
	}
	return ""
}

// nextPositional names the positional after o, for messages: "note".
func (s *Subcommand) nextPositional(o Option) string {
	after := false
	for _, p := range s.Options {
		if after && p.Positional {
			return p.Name
		}
		after = after || p.Name == o.Name
	}
	return "text"
}

// takesValue says whether t starts an option of its own: a name:value
// (known or not, so a mistyped name is still reported) or a known named
// option left empty. A word like "Note:" or "title:" (a positional) does
// not.
func (s *Subcommand) takesValue(t token) bool {
	if !t.isOpt {
		return false
	}
	o := s.option(t.name)
	return t.text != "" || (o != nil && !o.Positional)
}

// Typed checks raw string values (from the text parser, or already split by
// a platform such as Discord) against the spec and converts them.
func (c *Command) Typed(s *Subcommand, raw map[string]string, choices ChoiceSource) (*Args, error) {
	args := NewArgs()
	for _, o := range s.Options {
		v, ok := raw[o.Name]
		if !ok {
			if o.Required {
				what := strings.ToUpper(o.Name)
				if !o.Positional {
					what = o.Name + ":"
				}
				return nil, c.usageErr(s, "missing %s", what)
			}
			continue
		}
		val, err := o.Value(v, choices)
		if err != nil {
			return nil, c.usageErr(s, "%s", err)
		}
		args.Set(o.Name, val)
	}
	for name := range raw {
		if s.option(name) == nil {
			if hint := s.hint(name); hint != "" {
				return nil, c.usageErr(s, "%s", hint)
			}
			return nil, c.usageErr(s, "there is no option %q here%s%s", name, s.didYouMean(name), s.optionList())
		}
	}
	return args, nil
}

func (s *Subcommand) option(name string) *Option {
	for i := range s.Options {
		if s.Options[i].Name == name {
			return &s.Options[i]
		}
	}
	return nil
}

func (s *Subcommand) hint(name string) string {
	if s.OptionHint == nil {
		return ""
	}
	return s.OptionHint(name)
}

// didYouMean is " (did you mean target:?)" for a mistyped option name, or "".
func (s *Subcommand) didYouMean(name string) string {
	var names []string
	for _, o := range s.Options {
		if !o.Positional {
			names = append(names, o.Name)
		}
	}
	if m := Suggest(name, names); m != "" {
		return " (did you mean " + m + ":?)"
	}
	return ""
}

func (s *Subcommand) optionList() string {
	var names []string
	for _, o := range s.Options {
		if !o.Positional {
			names = append(names, o.Name+":")
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (options: " + strings.Join(names, " ") + ")"
}

func (c *Command) usageErr(s *Subcommand, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: Invalid, Message: msg + ".\nUsage: " + c.Usage(s)}
}

// PlaceDates places the date options of args, parsed for s, on the
// calendar as of today (a date: see TodayIn). The router does it for every
// request, so handlers see days.
func (c *Command) PlaceDates(s *Subcommand, args *Args, today time.Time) error {
	if err := args.placeDates(today); err != nil {
		return c.usageErr(s, "%s", err)
	}
	return nil
}

// Value converts one raw value to the option's type.
func (o Option) Value(v string, choices ChoiceSource) (any, error) {
	v = strings.TrimSpace(v)
	switch o.Type {
	case Number:
		if sign := v[:min(len(v), 1)]; sign == "+" || (o.Signed && sign == "-") {
			if !o.Signed {
				return nil, fmt.Errorf("%s is a value here, not a change: write %s:%s, not %s:%s", o.Name, o.Name, clip(v[1:], 40), o.Name, clip(v, 40))
			}
			f, err := parseNumber(o.Name, strings.TrimSpace(v[1:]), false)
			if err == nil && strings.HasPrefix(strings.TrimSpace(v[1:]), "+") {
				err = fmt.Errorf("%s must be a number like +5 or -5, not %q", o.Name, clip(v, 40))
			}
			if err != nil {
				return nil, err
			}
			if sign == "-" {
				f = -f
			}
			return Delta(f), nil
		}
		return parseNumber(o.Name, v, o.Negative)
	case Date:
		if o.Clearable && v == "-" {
			return time.Time{}, nil
		}
		e, err := readDate(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.Name, err)
		}
		e.past = o.Past
		return e, nil
	case Ref:
		return parseRef(o.Name, v)
	case User:
		return parseUser(o.Name, v)
	case Choice:
		if o.IsConfirm() && (strings.EqualFold(v, "yes") || strings.EqualFold(v, "y")) {
			return o.Choices[0], nil
		}
		list := o.Choices
		if o.Dynamic != "" && choices != nil {
			list = choices(o.Dynamic)
		}
		for _, c := range list {
			if strings.EqualFold(c, v) {
				return c, nil
			}
		}
		if m := Suggest(v, list); m != "" {
			return nil, fmt.Errorf("%s %q is not one of the choices (did you mean %s:%s?); choose one of: %s", o.Name, clip(v, 40), o.Name, m, strings.Join(list, ", "))
		}
		return nil, fmt.Errorf("%s %q is not one of: %s", o.Name, clip(v, 40), strings.Join(list, ", "))
	}
	return parseText(o, v)
}

func parseText(o Option, v string) (string, error) {
	if o.IsName {
		if r, ok := FormatChar(v); ok {
			return "", fmt.Errorf("%s contains an invisible formatting character (U+%04X): type the name without it", o.Name, r)
		}
		v = norm.NFC.String(strings.Join(strings.Fields(v), " "))
	} else {
		v = strings.TrimSpace(StripFormat(v))
	}
	limit := o.Max
	if limit == 0 {
		limit = MaxText
	}
	if n := utf8.RuneCountInString(v); n > limit {
		return "", fmt.Errorf("%s is too long (%d characters; at most %d)", o.Name, n, limit)
	}
	if v == "" {
		return "", fmt.Errorf("%s is empty", o.Name)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return "", fmt.Errorf("%s contains a control character", o.Name)
		}
	}
	return v, nil
}

// MaxNumber bounds targets and amounts so sums stay exact in float64.
const MaxNumber = 1e12

// parseNumber reads a number; one below 0 only when negative allows it.
func parseNumber(name, v string, negative bool) (float64, error) {
	s := strings.TrimLeft(v, "£$€")
	s = strings.ReplaceAll(s, ",", "")
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k") || strings.HasSuffix(s, "K"):
		mult, s = 1e3, s[:len(s)-1]
	case strings.HasSuffix(s, "m") || strings.HasSuffix(s, "M"):
		mult, s = 1e6, s[:len(s)-1]
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(s, "xXpP_") {
		return 0, fmt.Errorf("%s must be a number like 40 or 2.5, not %q", name, clip(v, 40))
	}
	f *= mult
	if f < 0 && !negative {
		return 0, fmt.Errorf("%s can't be negative", name)
	}
	if math.Abs(f) > MaxNumber {
		return 0, fmt.Errorf("%s is too large (at most %g)", name, MaxNumber)
	}
	return f, nil
}

// MaxRef bounds #N numbers.
const MaxRef = 1_000_000_000

func parseRef(name, v string) (int, error) {
	s := strings.TrimPrefix(v, "#")
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > MaxRef || strings.HasPrefix(s, "+") {
		return 0, fmt.Errorf("%s must be a number like 7 or #7, not %q", name, clip(v, 40))
	}
	return n, nil
}

// parseUser accepts Slack (<@U123|name>), Discord (<@123>, <@!123>) and
// console (@alice, alice) forms and returns the bare user id.
func parseUser(name, v string) (string, error) {
	s := v
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		s = strings.TrimPrefix(s[2:len(s)-1], "!")
		if i := strings.IndexByte(s, '|'); i >= 0 {
			s = s[:i]
		}
	}
	s = NormalUser(strings.TrimPrefix(s, "@"))
	if !ValidUser(s) {
		return "", fmt.Errorf("%s must be a person, like @alice, not %q", name, clip(v, 40))
	}
	return s, nil
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
