package store

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// Ledger entries written before notes were kept bare say {"note":...}; the
// migration rewrites those whose extra is a note alone, and histories and
// figures read the same before and after. December, on 0361339's fixture
// (#1 done 20 Nov; #2 fair-pay, latest report 80): 3 Dec ann makes #3,
// volunteering 8 hours, and logs 2.5 "an afternoon"; 4 Dec 1 "{braces}"
// (a note that reads as JSON keeps its JSON); 5 Dec 1.5 with no note, and
// bob reports 90 on #2, "Q4 figures" (a rate's entry says its value too,
// so it keeps its JSON: one entry of five has a bare note).
func TestMigrateBareNotes(t *testing.T) {
	rdb, s, now := loadLedgerFixture(t)
	ctx := context.Background()
	at := func(d, h int) { *now = time.Date(2026, 12, d, h, 0, 0, 0, time.UTC) }
	at(3, 14)
	if _, err := s.AddPledge(ctx, "town", fixtureAnn, bot.NewPledge{Text: "Hire", Theme: "volunteering", Target: 8, Visibility: bot.Public}, "r1"); err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		day    int
		who    bot.Actor
		n      int
		amount float64
		note   string
	}{{3, fixtureAnn, 3, 2.5, "an afternoon"}, {4, fixtureAnn, 3, 1, "{braces}"}, {5, fixtureAnn, 3, 1.5, ""}, {5, fixtureBob, 2, 90, "Q4 figures"}} {
		at(w.day, 15)
		if _, err := s.LogProgress(ctx, "town", w.who, w.n, w.amount, w.note, "r"+w.note+time.Now().String()); err != nil {
			t.Fatal(err)
		}
	}
	dec, aug := s.base("town")+"ledger:2026-12", s.base("town")+"ledger:2026-08"
	written, augBefore := rdb.LRange(ctx, dec, 0, -1).Val(), rdb.LRange(ctx, aug, 0, -1).Val()
	// As the release before wrote them: every note in its JSON.
	bare := 0
	for i, raw := range written {
		f := strings.SplitN(raw, "|", 8)
		if x := f[7]; x != "" && x != "-" && !strings.HasPrefix(x, "{") {
			j, _ := json.Marshal(map[string]string{"note": x})
			f[7] = string(j)
			rdb.LSet(ctx, dec, int64(i), strings.Join(f, "|"))
			bare++
		}
	}
	// (The report's JSON is compared as JSON: the order of its keys is the
	// Lua engine's, and the embedded store's is not Redis's.)
	var report map[string]any
	json.Unmarshal([]byte(written[4][strings.LastIndex(written[4], "|")+1:]), &report)
	if bare != 1 || !strings.HasSuffix(written[2], `|{"note":"{braces}"}`) ||
		!reflect.DeepEqual(report, map[string]any{"note": "Q4 figures", "amount": 90.0}) {
		t.Fatalf("%d bare notes written (want 1: an afternoon), the braces %q, the report %q", bare, written[2], written[4])
	}

	check := func(when string) {
		t.Helper()
		want := "12-03 created UANN 0; 12-03 progress UANN 2.5 an afternoon entry 1; 12-04 progress UANN 1 {braces} entry 2; " +
			"12-05 progress UANN 1.5 entry 3"
		if got := history(t, s, 3); got != want {
			t.Errorf("%s: #3 history\n %s\nwant\n %s", when, got, want)
		}
		if got, want := history(t, s, 2), "08-10 created UANN 0; 08-10 progress UANN 60 entry 1; 10-15 progress UANN 80 entry 2; 12-05 progress UBOB 90 Q4 figures entry 3"; got != want {
			t.Errorf("%s: #2 history\n %s\nwant\n %s", when, got, want)
		}
		// December: #1 was done in November, so #3 alone is live: 8
		// committed, 2.5 + 1 + 1.5 = 5 delivered; #2's latest report is 90.
		period := bot.Period{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Daily: true}
		cur, _, err := s.Summary(ctx, "town", bot.SummaryFilter{Period: period, Previous: bot.Period{Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), End: period.Start, Daily: true}}, time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if v := cur.Themes["volunteering"]; v == nil || v.Made != 1 || v.Live != 1 || v.Committed != 8 || v.Delivered != 5 || v.ToDate != 5 {
			t.Errorf("%s: December volunteering %+v; want made 1, live 1, committed 8, delivered 5, to date 5", when, v)
		}
		if r := cur.Themes["fair-pay"]; r == nil || r.Rate.Median != 90 || r.Rate.Reporting != 1 {
			t.Errorf("%s: December fair-pay %+v; want its latest report, 90", when, r)
		}
	}
	check("as the release before wrote them")
	if n, err := s.MigrateBareNotes(ctx, "town"); err != nil || n != 1 {
		t.Fatalf("rewrote %d entries, %v; want 1", n, err)
	}
	if n, err := s.MigrateBareNotes(ctx, "town"); err != nil || n != 0 {
		t.Fatalf("second run rewrote %d, %v; want 0", n, err)
	}
	if got := rdb.LRange(ctx, dec, 0, -1).Val(); !reflect.DeepEqual(got, written) {
		t.Errorf("December after the migration\n %q\nwant as written now\n %q", got, written)
	}
	if got := rdb.LRange(ctx, aug, 0, -1).Val(); !reflect.DeepEqual(got, augBefore) {
		t.Errorf("the release before compact entries' August changed:\n %q\nwas\n %q", got, augBefore)
	}
	check("migrated")
}
