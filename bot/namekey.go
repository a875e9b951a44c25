package bot

import (
	"strings"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

var fold = cases.Fold()

// NameKey is the key under which a name is unique (a business's name in
// its community): two names with one key look alike and cannot both be
// registered. It is the name's
//
//   - format characters removed (names refuse them; older data may not),
//   - compatibility form (NFKC: full-width "Ａcme" and ligatures read as
//     plain letters),
//   - runs of white space as one space, none at either end,
//   - case folded,
//   - and its confusable skeleton per Unicode UTS #39, twice with case
//     folding between (Cyrillic "Аcme" and Greek "Αcme" read as Acme, "0"
//     as O, "I" as l, "rn" as m).
//
// The skeleton is taken before and after folding, as UTS #39's table is
// case-sensitive: capital I looks like l, and Cyrillic capital Ѕ like S.
// A key is for comparing only, never for showing.
func NameKey(name string) string {
	s := norm.NFKC.String(StripFormat(name))
	s = strings.Join(strings.Fields(s), " ")
	s = fold.String(confusables.Skeleton(s))
	s = fold.String(confusables.Skeleton(s))
	return norm.NFC.String(s)
}
