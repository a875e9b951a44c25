package bot

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the clock-change cases need Europe/London wherever the tests run
)

func day(y int, m time.Month, d int) time.Time { return civil(y, m, d) }

func TestParseDate(t *testing.T) {
	wed := day(2027, 3, 3) // Wednesday 3 March 2027
	tests := []struct {
		in    string
		today time.Time
		want  time.Time
	}{
		{"2027-03-31", wed, day(2027, 3, 31)},
		{"2027-3-5", wed, day(2027, 3, 5)},
		{"31/03/2027", wed, day(2027, 3, 31)},
		{"31-03-2027", wed, day(2027, 3, 31)},
		{"31.3.27", wed, day(2027, 3, 31)},
		{"5/3/27", wed, day(2027, 3, 5)},
		{"03/04/2027", wed, day(2027, 4, 3)}, // day first, always
		{"31 March 2027", wed, day(2027, 3, 31)},
		{"31st March 2027", wed, day(2027, 3, 31)},
		{"31st of March, 2027", wed, day(2027, 3, 31)},
		{"March 31, 2027", wed, day(2027, 3, 31)},
		{"March 31", wed, day(2027, 3, 31)},
		{"31 Mar", wed, day(2027, 3, 31)},
		{"2 Mar", wed, day(2028, 3, 2)}, // passed this year: next year's
		{"3 mar", wed, day(2027, 3, 3)}, // today counts
		{"Sept 1", wed, day(2027, 9, 1)},
		{"Fri 5 Mar 2027", wed, day(2027, 3, 5)}, // as the bot echoes it
		{"Friday 5 March", wed, day(2027, 3, 5)},
		{"29 Feb", wed, day(2028, 2, 29)},
		{"29 Feb", day(2028, 3, 1), day(2032, 2, 29)},
		{"29/02/2028", wed, day(2028, 2, 29)},
		{"today", wed, wed},
		{"TOMORROW", wed, day(2027, 3, 4)},
		{"yesterday", wed, day(2027, 3, 2)},
		{"friday", wed, day(2027, 3, 5)},
		{"this friday", wed, day(2027, 3, 5)},
		{"next friday", wed, day(2027, 3, 5)},
		{"wednesday", wed, wed},
		{"this wed", wed, wed},
		{"next wednesday", wed, day(2027, 3, 10)},
		{"next mon", wed, day(2027, 3, 8)},
		{"in 2 weeks", wed, day(2027, 3, 17)},
		{"in a week", wed, day(2027, 3, 10)},
		{"in 10 days", wed, day(2027, 3, 13)},
		{"in 1 day", wed, day(2027, 3, 4)},
		{"in a fortnight", wed, day(2027, 3, 17)},
		{"in 1 month", day(2027, 1, 31), day(2027, 2, 28)},
		{"in 1 month", day(2028, 1, 31), day(2028, 2, 29)},
		{"in 2 months", day(2027, 12, 31), day(2028, 2, 29)},
		{"in 1 year", day(2028, 2, 29), day(2029, 2, 28)},
		{"in 3 months", day(2027, 3, 31), day(2027, 6, 30)},
		{"end of month", day(2027, 1, 31), day(2027, 1, 31)},
		{"end of month", day(2027, 1, 1), day(2027, 1, 31)},
		{"end of the month", day(2028, 2, 3), day(2028, 2, 29)},
		{"end of month", day(2027, 2, 3), day(2027, 2, 28)},
		{"end of next month", day(2027, 1, 31), day(2027, 2, 28)},
		{"end of next month", day(2027, 12, 5), day(2028, 1, 31)},
		{"end of quarter", wed, day(2027, 3, 31)},
		{"end of the quarter", day(2027, 4, 1), day(2027, 6, 30)},
		{"end of quarter", day(2027, 12, 31), day(2027, 12, 31)},
		{"end of next quarter", day(2027, 11, 2), day(2028, 3, 31)},
		{"end of year", wed, day(2027, 12, 31)},
		{"end of next year", wed, day(2028, 12, 31)},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, tt.today)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%q on %s = %s, %v; want %s", tt.in, tt.today.Format(DayStyle), got.Format(DayStyle), err, tt.want.Format(DayStyle))
		}
	}
}

func TestParseDateRefuses(t *testing.T) {
	wed := day(2027, 3, 3)
	tests := []struct{ in, err string }{
		{"03/31/2027", "looks like month first (US style); write the day first, like 31/3/2027, or the month in words, like 31 March 2027"},
		{"12-25-27", "write the day first, like 25/12/27"},
		{"31/04/2027", "not a real date: April 2027 has 30 days"},
		{"2027-02-29", "not a real date: February 2027 has 28 days"},
		{"29 Feb 2027", "not a real date"},
		{"30 Feb", "not a real date"},
		{"2027-02-30", "not a real date"},
		{"13/13/2027", "can't read"},
		{"31/03-2027", "can't read"},
		{"0/3/2027", "can't read"},
		{"1999-12-31", "outside the years 2000 to 2100"},
		{"1 Jan 2101", "outside the years 2000 to 2100"},
		{"Mon 5 Mar 2027", "5 March 2027 is a Friday, not a Monday"},
		{"Mon 5 Mar", "5 Mar 2027 is a Friday, not a Monday"},
		{"next week", "can't read"},
		{"in 2 weeks time", "can't read"},
		{"in -2 weeks", "can't read"},
		{"in +2 weeks", "can't read"},
		{"in 101 years", "can't read"},
		{"in 99 years", "outside the years"},
		{"31", "can't read"},
		{"March", "can't read"},
		{"2027", "can't read"},
		{"", "can't read"},
		{"soon", "can't read"},
		{"end of week", "can't read"},
		{"32 March", "not a real date: March has at most 31 days"},
		{"March 2027", "can't read"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, wed)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%q = %s, %v; want an error containing %q", tt.in, got.Format(DayStyle), err, tt.err)
		}
	}
}

// TestTodayAcrossClockChanges reads "today" and "tomorrow" late in the
// evening and just after midnight around both UK clock changes: the day is
// the one on the clock in the community, not in UTC.
func TestTodayAcrossClockChanges(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		now      time.Time
		today    time.Time
		tomorrow time.Time
	}{
		// Clocks go forward at 01:00 GMT on Sunday 28 March 2027.
		{"eve of spring change, 23:30 GMT", time.Date(2027, 3, 27, 23, 30, 0, 0, london), day(2027, 3, 27), day(2027, 3, 28)},
		{"spring change night, 00:30 GMT", time.Date(2027, 3, 28, 0, 30, 0, 0, london), day(2027, 3, 28), day(2027, 3, 29)},
		{"spring change day, 23:30 BST", time.Date(2027, 3, 28, 23, 30, 0, 0, london), day(2027, 3, 28), day(2027, 3, 29)},
		{"day after spring change, 00:30 BST (23:30 UTC the day before)", time.Date(2027, 3, 29, 0, 30, 0, 0, london), day(2027, 3, 29), day(2027, 3, 30)},
		// Clocks go back at 02:00 BST on Sunday 31 October 2027.
		{"eve of autumn change, 23:30 BST", time.Date(2027, 10, 30, 23, 30, 0, 0, london), day(2027, 10, 30), day(2027, 10, 31)},
		{"autumn change night, 00:30 BST (23:30 UTC the day before)", time.Date(2027, 10, 31, 0, 30, 0, 0, london), day(2027, 10, 31), day(2027, 11, 1)},
		{"autumn change day, 23:30 GMT", time.Date(2027, 10, 31, 23, 30, 0, 0, london), day(2027, 10, 31), day(2027, 11, 1)},
		// 2026's changes: 29 March and 25 October.
		{"2026 autumn change night, 00:30 BST", time.Date(2026, 10, 25, 0, 30, 0, 0, london), day(2026, 10, 25), day(2026, 10, 26)},
		{"2026 spring change eve, 23:59 GMT", time.Date(2026, 3, 28, 23, 59, 0, 0, london), day(2026, 3, 28), day(2026, 3, 29)},
	}
	for _, tt := range tests {
		today := TodayIn(tt.now, london)
		for word, want := range map[string]time.Time{"today": tt.today, "tomorrow": tt.tomorrow, "in 1 day": tt.tomorrow} {
			got, err := ParseDate(word, today)
			if err != nil || !got.Equal(want) {
				t.Errorf("%s: %q = %s, %v; want %s", tt.name, word, got.Format(DayStyle), err, want.Format(DayStyle))
			}
		}
	}
}

// FuzzParseDate checks the date reader never panics, that what it accepts
// is a day (midnight UTC) within the years allowed, and that the day it
// reads, written back as the bot echoes it, reads as the same day.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2027-03-31", "31/03/2027", "31.3.27", "03/31/2027", "31 March 2027", "March 31",
		"next friday", "in 2 weeks", "end of quarter", "end of next month", "Fri 5 Mar 2027", "29 Feb", "in 1200 months",
		"31st of Mar, 2027", "ｔｏｍｏｒｒｏｗ", "in ٣ days", "\u200btoday", "1/1/1"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, offset int64) {
		today := TodayIn(time.Date(2027, 3, 3, 12, 0, 0, 0, time.UTC).Add(time.Duration(offset%(40*365*24))*time.Hour), time.UTC)
		got, err := ParseDate(s, today)
		if err != nil {
			return
		}
		if got.Year() < 2000 || got.Year() > 2100 || got.Location() != time.UTC || got.Hour() != 0 || got.Minute() != 0 {
			t.Fatalf("%q read as %v", s, got)
		}
		for _, style := range []string{DayStyle, DateStyle, time.DateOnly, "02/01/2006"} {
			again, err := ParseDate(got.Format(style), today)
			if err != nil || !again.Equal(got) {
				t.Fatalf("%q read as %s; written %q it reads as %s, %v", s, got.Format(DayStyle), got.Format(style), again.Format(DayStyle), err)
			}
		}
	})
}
