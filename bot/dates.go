package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date styles for chat replies: one for any date shown, one with the
// weekday for a date the bot read from what someone typed, so "next friday"
// comes back as the day it was taken to mean.
const (
	DateStyle = "2 Jan 2006"
	DayStyle  = "Mon 2 Jan 2006"
)

// MaxDateLen bounds a typed date; platforms cap their date inputs at it.
const MaxDateLen = 40

// DateForms is how messages describe what a date option accepts.
const DateForms = "31/03/2027, 31 March 2027, 2027-03-31, today, tomorrow, next friday, in 2 weeks, end of month or end of quarter"

// A date is held as midnight UTC of its calendar day, whatever the
// community's zone: it names a day, not an instant.
func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TodayIn is the calendar day it is at now in loc, as a date.
func TodayIn(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return civil(y, m, d)
}

type relKind int

const (
	absolute   relKind = iota // a calendar day, maybe without its year
	inDays                    // today + n days
	inMonths                  // today + n months, clamped to the month's end
	onWeekday                 // the coming weekday; n=1: strictly after today
	endMonth                  // last day of this month + n months
	endQuarter                // last day of this quarter + n quarters
	endYear                   // 31 December of this year + n years
)

// dateExpr is a date as typed, read but not yet placed on the calendar:
// "next friday" and "31 Mar" name a day only once today is known.
type dateExpr struct {
	kind       relKind
	year       int // 0: the next such day from today on
	month      time.Month
	day        int
	n          int
	weekday    time.Weekday
	hasWeekday bool // "Fri 5 Mar 2027": the weekday is checked
	past       bool // without a year, the latest such day up to today (Option.Past)
}

// ParseDate reads a date as people write it in the UK, relative to today
// (a date: see TodayIn). US month-first dates are refused, never guessed.
func ParseDate(s string, today time.Time) (time.Time, error) {
	e, err := readDate(s)
	if err != nil {
		return time.Time{}, err
	}
	return e.on(today)
}

var (
	isoDate     = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	numericDate = regexp.MustCompile(`^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{2}|\d{4})$`)
	dayWord     = regexp.MustCompile(`^(\d{1,2})(st|nd|rd|th)?$`)
	yearWord    = regexp.MustCompile(`^(\d{2}|\d{4})$`)
)

var months = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

var weekdays = map[string]time.Weekday{
	"mon": time.Monday, "monday": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "weds": time.Wednesday, "wednesday": time.Wednesday, "thu": time.Thursday,
	"thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday, "fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday, "sun": time.Sunday, "sunday": time.Sunday,
}

// readDate checks a date's wording and, for a full calendar date, that the
// day exists; where it falls relative to today waits for on.
func readDate(s string) (dateExpr, error) {
	words := strings.Fields(strings.ToLower(strings.ReplaceAll(s, ",", " ")))
	if len(words) == 0 || len(words) > 5 || len(s) > MaxDateLen {
		return dateExpr{}, notADate(s)
	}
	if len(words) == 1 {
		if e, ok, err := numericForm(s, words[0]); ok {
			return e, err
		}
	}
	for _, form := range []func([]string) (dateExpr, bool){wordForm, inForm, endForm, weekdayForm} {
		if e, ok := form(words); ok {
			return e, nil
		}
	}
	if e, ok := writtenForm(words); ok {
		return e, e.check(s)
	}
	return dateExpr{}, notADate(s)
}

func notADate(s string) error {
	return fmt.Errorf("I can't read %q as a date: write it like %s", clip(s, 40), DateForms)
}

// numericForm reads 2027-03-31 and the day-first 31/03/2027, 31-03-2027,
// 31.3.27. ok says the word has one of these shapes.
func numericForm(s, w string) (e dateExpr, ok bool, err error) {
	if m := isoDate.FindStringSubmatch(w); m != nil {
		e = dateExpr{year: atoi(m[1]), month: time.Month(atoi(m[2])), day: atoi(m[3])}
		return e, true, e.check(s)
	}
	m := numericDate.FindStringSubmatch(w)
	if m == nil || m[2] != m[4] {
		return e, m != nil, notADate(s)
	}
	e = dateExpr{year: fullYear(m[5]), month: time.Month(atoi(m[3])), day: atoi(m[1])}
	if e.month > 12 && e.day <= 12 {
		return e, true, fmt.Errorf("%q looks like month first (US style); write the day first, like %d/%d/%s, or the month in words, like %d %s %d",
			clip(s, 40), atoi(m[3]), atoi(m[1]), m[5], atoi(m[3]), time.Month(atoi(m[1])), e.year)
	}
	return e, true, e.check(s)
}

// wordForm reads today, tomorrow and yesterday.
func wordForm(w []string) (dateExpr, bool) {
	if len(w) != 1 {
		return dateExpr{}, false
	}
	n, ok := map[string]int{"today": 0, "tomorrow": 1, "yesterday": -1}[w[0]]
	return dateExpr{kind: inDays, n: n}, ok
}

// inUnits are the units of "in N ...": each one's kind of step, its size,
// and the most N that keeps the day within the years dates may take.
var inUnits = map[string]struct {
	kind  relKind
	scale int
	most  int
}{
	"day": {inDays, 1, 36600}, "week": {inDays, 7, 5300}, "fortnight": {inDays, 14, 2650},
	"month": {inMonths, 1, 1200}, "year": {inMonths, 12, 100},
}

// inForm reads "in 2 weeks", "in a month", "in 10 days".
func inForm(w []string) (dateExpr, bool) {
	if len(w) != 3 || w[0] != "in" {
		return dateExpr{}, false
	}
	u, ok := inUnits[strings.TrimSuffix(w[2], "s")]
	if !ok {
		return dateExpr{}, false
	}
	n := 1
	if w[1] != "a" && w[1] != "an" && w[1] != "one" {
		var err error
		if n, err = strconv.Atoi(w[1]); err != nil || n < 0 || n > u.most || strings.HasPrefix(w[1], "+") {
			return dateExpr{}, false
		}
	}
	return dateExpr{kind: u.kind, n: n * u.scale}, true
}

// endForm reads "end of month", "end of the quarter", "end of next month",
// "end of year".
func endForm(w []string) (dateExpr, bool) {
	if len(w) < 3 || w[0] != "end" || w[1] != "of" {
		return dateExpr{}, false
	}
	rest := w[2:]
	if rest[0] == "the" || rest[0] == "this" {
		rest = rest[1:]
	}
	n := 0
	if len(rest) > 0 && rest[0] == "next" {
		n, rest = 1, rest[1:]
	}
	if len(rest) != 1 {
		return dateExpr{}, false
	}
	kind, ok := map[string]relKind{"month": endMonth, "quarter": endQuarter, "year": endYear}[rest[0]]
	return dateExpr{kind: kind, n: n}, ok
}

// weekdayForm reads "friday", "this friday" (today if it is Friday) and
// "next friday" (the first Friday after today).
func weekdayForm(w []string) (dateExpr, bool) {
	n := 0
	if len(w) == 2 && (w[0] == "this" || w[0] == "next") {
		n, w = map[string]int{"this": 0, "next": 1}[w[0]], w[1:]
	}
	if len(w) != 1 {
		return dateExpr{}, false
	}
	wd, ok := weekdays[w[0]]
	return dateExpr{kind: onWeekday, weekday: wd, n: n}, ok
}

// writtenForm reads 31 March 2027, 31st of Mar, March 31 2027, and any of
// them after a weekday (Fri 5 Mar 2027, as the bot echoes dates).
func writtenForm(w []string) (dateExpr, bool) {
	var e dateExpr
	if wd, ok := weekdays[w[0]]; ok && len(w) > 1 {
		e.weekday, e.hasWeekday, w = wd, true, w[1:]
	}
	if e.month, e.day = dayAndMonth(w); e.month != 0 {
		return e, true
	}
	if n := len(w); n > 2 && yearWord.MatchString(w[n-1]) {
		e.year = fullYear(w[n-1])
		e.month, e.day = dayAndMonth(w[:n-1])
	}
	return e, e.month != 0
}

// dayAndMonth reads 31 March, 31st of March or March 31st; month 0 when
// the words are none of these.
func dayAndMonth(w []string) (time.Month, int) {
	if len(w) == 3 && w[1] == "of" {
		w = []string{w[0], w[2]}
	}
	if len(w) != 2 {
		return 0, 0
	}
	if m, ok := months[w[1]]; ok {
		if d := dayWord.FindStringSubmatch(w[0]); d != nil {
			return m, atoi(d[1])
		}
	}
	if m, ok := months[w[0]]; ok {
		if d := dayWord.FindStringSubmatch(w[1]); d != nil {
			return m, atoi(d[1])
		}
	}
	return 0, 0
}

// check refuses a calendar day that does not exist: 31 April, 29 Feb 2027.
// A day without a year needs only to exist in some year (29 Feb does).
func (e dateExpr) check(s string) error {
	if e.month < 1 || e.month > 12 || e.day < 1 {
		return notADate(s)
	}
	y := e.year
	if y == 0 {
		y = 2028 // a leap year: any day of any month
	}
	if t := civil(y, e.month, e.day); t.Day() != e.day && e.year == 0 {
		return fmt.Errorf("%q is not a real date: %s has at most %d days", clip(s, 40), e.month, daysIn(y, e.month))
	} else if t.Day() != e.day {
		return fmt.Errorf("%q is not a real date: %s %d has %d days", clip(s, 40), e.month, y, daysIn(y, e.month))
	}
	if e.year != 0 && (e.year < 2000 || e.year > 2100) {
		return fmt.Errorf("%q is outside the years 2000 to 2100", clip(s, 40))
	}
	if e.year != 0 && e.hasWeekday && civil(e.year, e.month, e.day).Weekday() != e.weekday {
		return fmt.Errorf("%d %s %d is a %s, not a %s", e.day, e.month, e.year, civil(e.year, e.month, e.day).Weekday(), e.weekday)
	}
	return nil
}

// on places the date on the calendar, today being a date (see TodayIn).
func (e dateExpr) on(today time.Time) (time.Time, error) {
	y, m, _ := today.Date()
	var t time.Time
	switch e.kind {
	case absolute:
		t = e.nextDay(today)
	case inDays:
		t = today.AddDate(0, 0, e.n)
	case inMonths:
		t = addMonths(today, e.n)
	case onWeekday:
		ahead := (int(e.weekday) - int(today.Weekday()) + 7) % 7
		if ahead == 0 && e.n == 1 {
			ahead = 7
		}
		t = today.AddDate(0, 0, ahead)
	case endMonth:
		t = civil(y, m+time.Month(e.n)+1, 0)
	case endQuarter:
		t = civil(y, (m-1)/3*3+4+time.Month(3*e.n), 0)
	case endYear:
		t = civil(y+e.n, 12, 31)
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, fmt.Errorf("that is %s, outside the years 2000 to 2100", t.Format(DateStyle))
	}
	if e.hasWeekday && t.Weekday() != e.weekday {
		return time.Time{}, fmt.Errorf("%s is a %s, not a %s", t.Format(DateStyle), t.Weekday(), e.weekday)
	}
	return t, nil
}

// nextDay is the day written, or without a year the first such day from
// today on: 31 Mar read in April is next year's; 29 Feb waits for a leap
// year. For a date that looks back (past) it is the latest such day up to
// today: a decision "20 Nov" read on 24 Nov, a year end "31 March" read in
// December.
func (e dateExpr) nextDay(today time.Time) time.Time {
	if e.year != 0 {
		return civil(e.year, e.month, e.day)
	}
	if e.past {
		for y := today.Year(); ; y-- {
			t := civil(y, e.month, e.day)
			if t.Day() == e.day && !t.After(today) {
				return t
			}
		}
	}
	for y := today.Year(); ; y++ {
		t := civil(y, e.month, e.day)
		if t.Day() == e.day && !t.Before(today) {
			return t
		}
	}
}

// addMonths moves n months on, keeping the day of the month where it
// exists and taking the month's last day where it does not: 31 Jan + 1
// month is 28 (or 29) Feb, not 3 Mar.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	last := daysIn(y, m+time.Month(n))
	return civil(y, m+time.Month(n), min(d, last))
}

func daysIn(y int, m time.Month) int { return civil(y, m+1, 0).Day() }

func fullYear(s string) int {
	if len(s) == 2 {
		return 2000 + atoi(s)
	}
	return atoi(s)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
