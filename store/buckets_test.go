package store

import (
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestRollingBuckets: however a rolling period is split into months and
// days, every day inside it counts exactly once and every day outside it
// not at all.
func TestRollingBuckets(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for offset := 0; offset < 800; offset += 7 {
		for _, n := range []int{1, 7, 15, 16, 30, 31, 45, 90, 366} {
			p := bot.Period{Daily: true, Start: start.AddDate(0, 0, offset), End: start.AddDate(0, 0, offset+n)}
			count := map[string]int{}
			for _, b := range buckets(p) {
				sign := 1
				if strings.HasPrefix(b, "-") {
					b, sign = b[1:], -1
				}
				switch b[0] {
				case 'd':
					count[b[1:]] += sign
				case 'm':
					m, _ := time.Parse("2006-01", b[1:])
					for d := m; d.Before(m.AddDate(0, 1, 0)); d = d.AddDate(0, 0, 1) {
						count[d.Format(time.DateOnly)] += sign
					}
				}
			}
			for d := p.Start.AddDate(0, -2, 0); d.Before(p.End.AddDate(0, 2, 0)); d = d.AddDate(0, 0, 1) {
				want := 0
				if !d.Before(p.Start) && d.Before(p.End) {
					want = 1
				}
				if got := count[d.Format(time.DateOnly)]; got != want {
					t.Fatalf("%s..%s: day %s counted %d times", p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), d.Format(time.DateOnly), got)
				}
			}
		}
	}
}
