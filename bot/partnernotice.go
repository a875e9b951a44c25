package bot

import (
	"fmt"
	"maps"
	"math"
	"time"
)

// What the store puts in a notice it writes in the same step as the entry
// it is about, where only it knows the words: the business's name and the
// amount in the pledge's unit (EntryPlaceholder stands for the entry).
const (
	BusinessPlaceholder = "\x00business"
	AmountPlaceholder   = "\x00amount"
)

// ProgressNotice is what each of a partner's people is told when progress
// is logged on a pledge made to their partner: who logged what, and a
// button to confirm it and one to query it (the Query button asks for the
// note in a form: the spec's note is required). day is the community's
// calendar day it was logged on (a date: see TodayIn).
func ProgressNotice(n int, by Identity, day time.Time) Reply {
	return askNotice(n, fmt.Sprintf("Pledge #%d (%s): %s logged %s on %s — confirm or query it", n, BusinessPlaceholder,
		Mention(by), AmountPlaceholder, day.Format(DateStyle)))
}

// CorrectionNotice is what each of a partner's people is told when an
// entry of a pledge made to their partner is corrected (not struck): its
// new amount, to confirm or query afresh. It stands alone, as it replaces
// a notice not yet sent as well as follows one already read.
func CorrectionNotice(n int, by Identity, day time.Time) Reply {
	return askNotice(n, fmt.Sprintf("Pledge #%d (%s): entry %s is now %s, corrected by %s on %s — confirm or query it", n,
		BusinessPlaceholder, EntryPlaceholder, AmountPlaceholder, Mention(by), day.Format(DateStyle)))
}

func askNotice(n int, title string) Reply {
	e := EntryPlaceholder
	return Reply{
		Title: title,
		Text: fmt.Sprintf("Confirm it if it is right; query it if not, saying what is in doubt: its business's owners are told "+
			"and answer with a correction or a note. In text: /pledge confirm %d entry:%s or /pledge query %d entry:%s NOTE.", n, e, n, e),
		Actions: []Action{
			{Label: "Confirm", Command: fmt.Sprintf("pledge confirm %d entry:%s", n, e), Style: "primary"},
			{Label: "Query", Command: fmt.Sprintf("pledge query %d entry:%s", n, e)},
		},
	}
}

// SingularUnits is the table UnitFor makes a unit's first plural word
// singular by, for an amount that rounds to one (nil otherwise): the store
// words an amount in a pledge's unit as UnitFor does.
func SingularUnits(f float64) map[string]string {
	if math.Abs(RoundAmount(f)) != 1 {
		return nil
	}
	return maps.Clone(singulars)
}
