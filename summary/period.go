// Package summary computes the council summaries behind /summary, its
// exports and the report page, from the figures the store reads from its
// ledger and monthly sums.
package summary

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

var (
	quarterRe = regexp.MustCompile(`^(\d{4})-[qQ]([1-4])$`)
	yearRe    = regexp.MustCompile(`^(\d{4})$`)
	monthRe   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	lastRe    = regexp.MustCompile(`^last-(\d{1,3})d$`)
)

// MaxDays bounds last-Nd periods: day buckets are read one by one.
const MaxDays = 366

// PeriodHelp is shown when a period cannot be read.
const PeriodHelp = "use a quarter (2026-Q4), a year (2026), a month (2026-11) or last-30d"

// ParsePeriod reads a period and returns it with the period of the same
// length just before it. "" is the current quarter. Days are UTC days.
func ParsePeriod(s string, now time.Time) (cur, prev bot.Period, err error) {
	now = now.UTC()
	if s == "" {
		s = fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())-1)/3+1)
	}
	bad := func() (bot.Period, bot.Period, error) {
		return bot.Period{}, bot.Period{}, bot.Errorf(bot.Invalid, "period:%s isn't a period I know: %s.", clip(s, 20), PeriodHelp)
	}
	year := func(y string) (int, bool) {
		n, _ := strconv.Atoi(y)
		return n, n >= 2000 && n <= 2100
	}
	switch {
	case quarterRe.MatchString(s):
		m := quarterRe.FindStringSubmatch(s)
		y, ok := year(m[1])
		if !ok {
			return bad()
		}
		q, _ := strconv.Atoi(m[2])
		start := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
		return calendar(fmt.Sprintf("%d-Q%d", y, q), start, 3, func(t time.Time) string {
			return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
		})
	case yearRe.MatchString(s):
		y, ok := year(s)
		if !ok {
			return bad()
		}
		return calendar(s, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), 12, func(t time.Time) string { return strconv.Itoa(t.Year()) })
	case monthRe.MatchString(s):
		m := monthRe.FindStringSubmatch(s)
		y, ok := year(m[1])
		mo, _ := strconv.Atoi(m[2])
		if !ok || mo < 1 || mo > 12 {
			return bad()
		}
		return calendar(s, time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC), 1, func(t time.Time) string { return t.Format("2006-01") })
	case lastRe.MatchString(s):
		n, _ := strconv.Atoi(lastRe.FindStringSubmatch(s)[1])
		if n < 1 || n > MaxDays {
			return bot.Period{}, bot.Period{}, bot.Errorf(bot.Invalid, "period:%s: give between 1 and %d days.", s, MaxDays)
		}
		end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
		start := end.AddDate(0, 0, -n)
		cur = bot.Period{Label: s, Start: start, End: end, Daily: true}
		prev = bot.Period{Label: "the " + bot.Count(n, "day", "days") + " before", Start: start.AddDate(0, 0, -n), End: start, Daily: true}
		return cur, prev, nil
	}
	return bad()
}

func calendar(label string, start time.Time, months int, name func(time.Time) string) (bot.Period, bot.Period, error) {
	cur := bot.Period{Label: label, Start: start, End: start.AddDate(0, months, 0)}
	ps := start.AddDate(0, -months, 0)
	prev := bot.Period{Label: name(ps), Start: ps, End: start}
	return cur, prev, nil
}

// Span is a period's first and last day, e.g. "1 Oct 2026 – 31 Dec 2026".
func Span(p bot.Period) string {
	return p.Start.Format("2 Jan 2006") + " – " + p.End.AddDate(0, 0, -1).Format("2 Jan 2006")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
