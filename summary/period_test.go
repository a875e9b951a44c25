package summary

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 11, 24, 15, 30, 0, 0, time.UTC)
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		in               string
		label, prevLabel string
		start, end       time.Time
		prevStart        time.Time
		daily, bad       bool
	}{
		{in: "", label: "2026-Q4", prevLabel: "2026-Q3", start: d(2026, 10, 1), end: d(2027, 1, 1), prevStart: d(2026, 7, 1)},
		{in: "2026-Q4", label: "2026-Q4", prevLabel: "2026-Q3", start: d(2026, 10, 1), end: d(2027, 1, 1), prevStart: d(2026, 7, 1)},
		{in: "2026-q1", label: "2026-Q1", prevLabel: "2025-Q4", start: d(2026, 1, 1), end: d(2026, 4, 1), prevStart: d(2025, 10, 1)},
		{in: "2026", label: "2026", prevLabel: "2025", start: d(2026, 1, 1), end: d(2027, 1, 1), prevStart: d(2025, 1, 1)},
		{in: "2026-03", label: "2026-03", prevLabel: "2026-02", start: d(2026, 3, 1), end: d(2026, 4, 1), prevStart: d(2026, 2, 1)},
		{in: "2026-01", label: "2026-01", prevLabel: "2025-12", start: d(2026, 1, 1), end: d(2026, 2, 1), prevStart: d(2025, 12, 1)},
		{in: "last-30d", label: "last-30d", prevLabel: "the 30 days before", start: d(2026, 10, 26), end: d(2026, 11, 25), prevStart: d(2026, 9, 26), daily: true},
		{in: "last-1d", label: "last-1d", prevLabel: "the 1 day before", start: d(2026, 11, 24), end: d(2026, 11, 25), prevStart: d(2026, 11, 23), daily: true},
		{in: "last-0d", bad: true},
		{in: "last-367d", bad: true},
		{in: "2026-Q5", bad: true},
		{in: "2026-Q0", bad: true},
		{in: "2026-13", bad: true},
		{in: "1999", bad: true},
		{in: "Q4", bad: true},
		{in: "last-30", bad: true},
		{in: "2026-Q4 ", bad: true},
	}
	for _, c := range cases {
		cur, prev, err := ParsePeriod(c.in, now)
		if c.bad {
			if err == nil {
				t.Errorf("%q: accepted as %+v", c.in, cur)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if cur.Label != c.label || !cur.Start.Equal(c.start) || !cur.End.Equal(c.end) || cur.Daily != c.daily {
			t.Errorf("%q: cur = %+v", c.in, cur)
		}
		if prev.Label != c.prevLabel || !prev.Start.Equal(c.prevStart) || !prev.End.Equal(cur.Start) || prev.Daily != c.daily {
			t.Errorf("%q: prev = %+v", c.in, prev)
		}
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"", "2026-Q4", "2026", "2026-11", "last-30d", "last-999d", "9999-Q9"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 24, 15, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		cur, prev, err := ParsePeriod(s, now)
		if err != nil {
			return
		}
		days := cur.End.Sub(cur.Start).Hours() / 24
		if !cur.Start.Before(cur.End) || !prev.End.Equal(cur.Start) || days > MaxDays || days < 1 {
			t.Fatalf("%q: cur %+v prev %+v", s, cur, prev)
		}
	})
}
