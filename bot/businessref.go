package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// SuggestBusinesses is the Option.Suggest of an option that names a
// business by its number or its name. The router resolves such an option
// to the business's number before the handler runs (Args.Int), so every
// command reads a business the same way.
const SuggestBusinesses = "businesses"

// maxListed bounds the businesses or partners a refusal lists.
const maxListed = 10

// BusinessNameStore is what resolving a business's name reads: the name
// index, and the businesses of the community (numbers and names only).
type BusinessNameStore interface {
	// BusinessNamed is the business whose name has key (NameKey), 0 when none.
	BusinessNamed(ctx context.Context, community, key string) (int, error)
	// BusinessNames lists the community's businesses with their numbers
	// and names only, by number.
	BusinessNames(ctx context.Context, community string) ([]Business, error)
}

// ResolveBusiness reads a business: option: a number ("7", "#7"), or a
// name. A name is the business registered under it (compared as
// registration compares names, NameKey: case, width and look-alikes
// aside), else the one business whose name begins with it, ignoring case
// after NFC. Several is a refusal that lists them with their numbers; none
// one with a "did you mean". Only the caller's community is read: a
// business of another community is never named.
func ResolveBusiness(ctx context.Context, st BusinessNameStore, community, option, value string) (int, error) {
	v := strings.Join(strings.Fields(StripFormat(value)), " ")
	if n, ok := businessNumber(v); ok {
		return n, nil
	}
	if v == "" || strings.Trim(v, "#") == "" {
		return 0, Errorf(Invalid, "%s: needs a business's number or name, e.g. %s:3. /business list shows them.", option, option)
	}
	n, err := st.BusinessNamed(ctx, community, NameKey(v))
	if err != nil || n != 0 {
		return n, err
	}
	bs, err := st.BusinessNames(ctx, community)
	if err != nil {
		return 0, err
	}
	return MatchBusiness(option, v, bs)
}

// businessNumber reads "7" or "#7"; anything else is a name.
func businessNumber(v string) (int, bool) {
	s := strings.TrimPrefix(v, "#")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > MaxRef {
		return 0, false
	}
	return n, true
}

// MatchBusiness picks the business a name means among bs: the one whose
// name is it, else the one whose name begins with it (case folded, NFC).
func MatchBusiness(option, v string, bs []Business) (int, error) {
	want, key := foldName(v), NameKey(v)
	var exact, prefix []Business
	for _, b := range bs {
		name := foldName(b.Name)
		switch {
		case name == want || NameKey(b.Name) == key:
			exact = append(exact, b)
		case strings.HasPrefix(name, want):
			prefix = append(prefix, b)
		}
	}
	if len(exact) == 1 {
		return exact[0].Number, nil
	}
	found := append(exact, prefix...)
	shown := clip(v, 40)
	switch {
	case len(found) == 1:
		return found[0].Number, nil
	case len(found) > 1:
		return 0, Errorf(Invalid, "%s:%q matches %d businesses: %s. Give its number, e.g. %s:%d.",
			option, shown, len(found), listBusinesses(found), option, found[0].Number)
	case len(bs) == 0:
		return 0, Errorf(NotFound, "There is no business %q: none is registered yet (/business register NAME).", shown)
	}
	return 0, Errorf(NotFound, "There is no business %q.%s /business list shows them all.", shown, didYouMeanBusiness(v, bs))
}

// foldName is a name as compared: NFC, case folded, spaces as one. A
// Caser is not safe to share, so each call makes its own.
func foldName(s string) string {
	s = strings.Join(strings.Fields(StripFormat(s)), " ")
	return norm.NFC.String(cases.Fold().String(norm.NFC.String(s)))
}

// didYouMeanBusiness suggests the business a name was likely meant to
// be, accents aside ("zoe" for Zoë's Café, whose name it begins once
// accents are dropped), as " Did you mean #N Name?".
func didYouMeanBusiness(v string, bs []Business) string {
	byPlain := map[string]Business{}
	var plain []string
	for _, b := range bs {
		p := plainName(b.Name)
		if _, dup := byPlain[p]; !dup {
			byPlain[p] = b
			plain = append(plain, p)
		}
	}
	want := plainName(v)
	if s := Suggest(want, plain); s != "" {
		b := byPlain[s]
		return fmt.Sprintf(" Did you mean #%d %s?", b.Number, b.Name)
	}
	return ""
}

// plainName is a name folded with its accents removed, for suggestions
// only: "Zoë's Café" reads as "zoe's cafe".
func plainName(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, foldName(s))
	if err != nil {
		return foldName(s)
	}
	return out
}

func listBusinesses(bs []Business) string {
	return ListNumbered(bs, func(b Business) (int, string) { return b.Number, b.Name }, "/business list")
}

// ListNumbered is what a refusal lists of the things a name could mean:
// "#N Name, ..." up to maxListed, then how many more and where to see
// them (more: the command that lists them).
func ListNumbered[T any](xs []T, label func(T) (int, string), more string) string {
	var out []string
	for i, x := range xs {
		if i == maxListed {
			out = append(out, fmt.Sprintf("and %d more (%s)", len(xs)-i, more))
			break
		}
		n, name := label(x)
		out = append(out, fmt.Sprintf("#%d %s", n, name))
	}
	return strings.Join(out, ", ")
}
