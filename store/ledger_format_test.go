package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// The ledger as the release before compact entries (0361339) wrote it:
// testdata/ledger-0361339.json, dumped from that release after this
// scenario. 10 Aug 2026 09:00 ann registers Acme (CB1 2AB), adds bob as a
// member, pledges #1 volunteering 40 hours (logs 10, "first") and #2
// fair-pay 100 % (a rate; reports 60). 15 Oct 10:00 bob logs 5 on #1, ann
// reports 80 on #2. 20 Nov 11:00 ann corrects #1's first entry to 12
// ("typo") and completes #1 ("all done").
var (
	fixtureAnn = bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "UANN"}}
	fixtureBob = bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "UBOB"}}
)

func loadLedgerFixture(t *testing.T) (*redis.Client, *Store, *time.Time) {
	t.Helper()
	rdb, s, now := loadLedgerFixtureOld(t)
	// As start-up does on upgrade: that release's pledges have long field names.
	if n, err := s.MigrateShortNames(context.Background(), "town"); err != nil || n != 2 {
		t.Fatalf("short names: %d pledges renamed, %v; want 2", n, err)
	}
	// and its months' business bits are keys of their own.
	if n, err := s.MigrateMonthBits(context.Background(), "town"); err != nil || n != 3 {
		t.Fatalf("month bits: %d months moved, %v; want 3", n, err)
	}
	return rdb, s, now
}

// loadLedgerFixtureOld loads the fixture as that release left it.
func loadLedgerFixtureOld(t *testing.T) (*redis.Client, *Store, *time.Time) {
	t.Helper()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	loadFixture(t, rdb, s, "town", "testdata/ledger-0361339.json")
	for _, who := range []bot.Actor{fixtureAnn, fixtureBob} {
		rdb.HSet(context.Background(), s.communitiesOfKey(who.ID.Key()), communityEntry(who.ID.Key(), "town"), "")
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	return rdb, s, &now
}

// history is a pledge's history as "date kind by amount [note] [entry N]"
// lines (a creation says no amount: the pledge's target does).
func history(t *testing.T, s *Store, n int) string {
	t.Helper()
	_, events, err := s.Pledge(context.Background(), "town", bot.Actor{ID: fixtureAnn.ID, Admin: true}, n)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		line := fmt.Sprintf("%s %s %s %g", e.At.Format("01-02"), e.Kind, strings.TrimPrefix(e.By, "slack:T1:"), e.Amount)
		if e.Note != "" {
			line += " " + e.Note
		}
		if e.Entry != 0 {
			line += fmt.Sprintf(" entry %d", e.Entry)
		}
		out = append(out, line)
	}
	return strings.Join(out, "; ")
}

// auditBy lists the ledger's audit entries, oldest first, as "action by".
func auditBy(t *testing.T, s *Store) string {
	t.Helper()
	entries, err := s.Audit(context.Background(), "town", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		if e := entries[i]; strings.HasPrefix(e.ID, "ledger:") {
			out = append(out, fmt.Sprintf("#%d %s %s", e.Pledge, e.Action, strings.TrimPrefix(e.By, "slack:T1:")))
		}
	}
	return strings.Join(out, ", ")
}

// Entries of the release before read as they did: histories, the audit,
// the figures of periods whose edges read the ledger, and a rebuild of
// the figures from it. Entries written since, compact, sit in the same
// month's list beside them and read alike; erasing a person reaches both.
func TestLedgerOfTheReleaseBeforeReads(t *testing.T) {
	rdb, s, _ := loadLedgerFixture(t)
	ctx := context.Background()
	want1 := "08-10 created UANN 0; 08-10 progress UANN 10 first entry 1; 10-15 progress UBOB 5 entry 2; " +
		"11-20 corrected UANN 12 typo entry 1; 11-20 done UANN 0 all done"
	if got := history(t, s, 1); got != want1 {
		t.Errorf("#1 history:\n %s\nwant\n %s", got, want1)
	}
	figures := func(when string) {
		t.Helper()
		// 10 Oct to 25 Nov, by day: both edges cut a month, read from the
		// ledger. #1 gets 5 (15 Oct) and is done on 20 Nov with 12+5.
		period := bot.Period{Start: time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Daily: true}
		prev := bot.Period{Start: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), End: period.Start, Daily: true}
		cur, before, err := s.Summary(ctx, "town", bot.SummaryFilter{Period: period, Previous: prev}, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		v, b := cur.Themes["volunteering"], before.Themes["volunteering"]
		if v == nil || v.Done != 1 || v.Live != 1 || v.Committed != 40 || v.Delivered != 5 || v.ToDate != 17 || cur.Businesses != 1 {
			t.Errorf("%s: 10 Oct-25 Nov volunteering %+v, %d businesses; want done 1, live 1, committed 40, delivered 5, to date 17, 1 business", when, v, cur.Businesses)
		}
		if b == nil || b.Made != 1 || b.Committed != 40 || b.Delivered != 12 || before.Businesses != 1 {
			t.Errorf("%s: 1 Aug-10 Oct volunteering %+v, %d businesses; want made 1, committed 40, delivered 12 (as corrected), 1 business", when, b, before.Businesses)
		}
		// (rate values are counted in the sums from rate-sums-2026-12 on:
		// as written, the fixture's sums have none until the rebuild)
		if r := cur.Themes["fair-pay"]; when != "as written" && (r == nil || r.Rate.Median != 80 || r.Rate.Reporting != 1) {
			t.Errorf("%s: fair-pay %+v, want its latest report, 80", when, r)
		}
	}
	figures("as written")
	if err := s.RebuildFigures(ctx, "town"); err != nil {
		t.Fatal(err)
	}
	figures("rebuilt")

	// New writes, compact, in the months the old entries are in.
	if _, err := s.LogProgress(ctx, "town", fixtureBob, 2, 90, "", "r11"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPledge(ctx, "town", fixtureAnn, bot.NewPledge{Text: "Hire", Theme: "volunteering", Target: 8, Visibility: bot.Public}, "r12"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogProgress(ctx, "town", fixtureAnn, 3, 2.5, "", "r13"); err != nil {
		t.Fatal(err)
	}
	nov := rdb.LRange(ctx, s.base("town")+"ledger:2026-11", 0, -1).Val()
	if len(nov) != 5 || !strings.HasPrefix(nov[0], "1795172400|k|") || strings.Contains(strings.Join(nov[2:], " "), "UANN") {
		t.Errorf("November's ledger %q: want the two old entries, then three compact ones not naming the maker", nov)
	}
	want2 := "08-10 created UANN 0; 08-10 progress UANN 60 entry 1; 10-15 progress UANN 80 entry 2; 11-25 progress UBOB 90 entry 3"
	if got := history(t, s, 2); got != want2 {
		t.Errorf("#2 history:\n %s\nwant\n %s", got, want2)
	}
	if got, want := history(t, s, 3), "11-25 created UANN 0; 11-25 progress UANN 2.5 entry 1"; got != want {
		t.Errorf("#3 history %s, want %s", got, want)
	}
	wantAudit := "#1 pledge.add UANN, #1 pledge.progress UANN, #2 pledge.add UANN, #2 pledge.progress UANN, " +
		"#1 pledge.progress UBOB, #2 pledge.progress UANN, #1 pledge.correct UANN, #1 pledge.done UANN, " +
		"#2 pledge.progress UBOB, #3 pledge.add UANN, #3 pledge.progress UANN"
	if got := auditBy(t, s); got != wantAudit {
		t.Errorf("audit:\n %s\nwant\n %s", got, wantAudit)
	}

	// Erasing bob reaches his entries in both forms; erasing ann, the
	// entries naming her in full and those naming the pledge's maker.
	for _, who := range []bot.Actor{fixtureBob, fixtureAnn} {
		if _, err := s.ErasePerson(ctx, "operator:root", who.ID); err != nil {
			t.Fatal(err)
		}
	}
	erased := strings.NewReplacer("UANN", "erased", "UBOB", "erased")
	if got := history(t, s, 1); got != erased.Replace(want1) {
		t.Errorf("#1 history after the erasures: %s", got)
	}
	if got := history(t, s, 2); got != erased.Replace(want2) {
		t.Errorf("#2 history after the erasures: %s", got)
	}
	if got := auditBy(t, s); got != erased.Replace(wantAudit) {
		t.Errorf("audit after the erasures: %s", got)
	}
	for _, mo := range []string{"2026-08", "2026-10", "2026-11"} {
		for _, e := range rdb.LRange(ctx, s.base("town")+"ledger:"+mo, 0, -1).Val() {
			if strings.Contains(e, "UANN") || strings.Contains(e, "UBOB") {
				t.Errorf("ledger:%s still names someone: %q", mo, e)
			}
		}
	}
}

// A compact entry is what the budget asks: its time within the
// month in base 36, the business left out (its pledge's), the theme by
// slot, the maker left out, a progress entry's amount said once, a note
// alone without its JSON.
func TestCompactLedgerEntry(t *testing.T) {
	rdb, s, now := loadLedgerFixture(t)
	ctx := context.Background()
	*now = time.Date(2026, 12, 3, 14, 5, 9, 0, time.UTC)
	if _, err := s.AddPledge(ctx, "town", fixtureAnn, bot.NewPledge{Text: "Hire", Theme: "volunteering", Target: 8, Visibility: bot.Public}, "r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogProgress(ctx, "town", fixtureAnn, 3, 2.5, "an afternoon", "r2"); err != nil {
		t.Fatal(err)
	}
	slot := rdb.HGet(ctx, s.base("town")+"theme-slots", "volunteering").Val()
	// 2 days 14:05:09 into December: 223509 s, "4sgl" in base 36.
	want := []string{"4sgl|C|3||#" + slot + "|8||", "4sgl|P|3||#" + slot + "|2.5||an afternoon"}
	if got := rdb.LRange(ctx, s.base("town")+"ledger:2026-12", 0, -1).Val(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("December's ledger %q, want %q", got, want)
	}
	if got, want := history(t, s, 3), "12-03 created UANN 0; 12-03 progress UANN 2.5 an afternoon entry 1"; got != want {
		t.Errorf("history %s, want %s", got, want)
	}
	// The business left out is read from the pledge: business 1's audit
	// trail lists both writes as its own.
	entries, err := s.Audit(ctx, "town", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var mine []string
	for _, e := range entries {
		if e.Pledge == 3 {
			mine = append(mine, fmt.Sprintf("%s #%d %s", e.Action, e.Business, e.Detail))
		}
	}
	if want := []string{"pledge.progress #1 volunteering 2.5", "pledge.add #1 volunteering 8"}; strings.Join(mine, "; ") != strings.Join(want, "; ") {
		t.Errorf("business 1's audit of pledge 3: %q, want %q", mine, want)
	}
}

// A long history's pointers take several 64-byte parts (lgn counts those
// after the first) across months and read back in order, old runs first.
// The pledge is packed (lua/prelude.lua pledge_load), its pointers' further
// parts fields of its bucket (pledge_ext), which stays compact.
func TestLongHistoryPointers(t *testing.T) {
	rdb, s, now := loadLedgerFixture(t)
	ctx := context.Background()
	var want float64
	for i := 1; i <= 70; i++ {
		*now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i*6)
		if _, err := s.LogProgress(ctx, "town", fixtureAnn, 2, float64(i), "", fmt.Sprint("p", i)); err != nil {
			t.Fatal(err)
		}
		want = float64(i)
	}
	h := packedPledge(t, rdb, s.base("town"), 2)
	if n, _ := strconv.Atoi(h["lgn"]); n < 2 || h["lg"+strconv.Itoa(n+1)] == "" || len(h["lg"]) > 64 {
		t.Fatalf("lgn %q, lg %q: the pointers should take several parts", h["lgn"], h["lg"])
	}
	if enc := rdb.ObjectEncoding(ctx, s.base("town")+PledgeBucket(2)).Val(); enc != "listpack" && !onEmbedded() {
		t.Errorf("pledge 2's bucket is a %s", enc)
	}
	_, events, err := s.Pledge(ctx, "town", bot.Actor{ID: fixtureAnn.ID, Admin: true}, 2)
	if err != nil {
		t.Fatal(err)
	}
	// created, the two reports of the release before, then the 70.
	if len(events) != 73 || events[1].Amount != 60 || events[2].Amount != 80 {
		t.Fatalf("%d events, first reports %v %v", len(events), events[1].Amount, events[2].Amount)
	}
	for i, e := range events[3:] {
		at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, (i+1)*6)
		if e.Amount != float64(i+1) || !e.At.Equal(at) || e.Entry != i+3 {
			t.Errorf("event %d: %v at %v entry %d, want %d at %v entry %d", i+3, e.Amount, e.At, e.Entry, i+1, at, i+3)
		}
	}
	if p, _, _ := s.Pledge(ctx, "town", fixtureAnn, 2); p.Progress != want {
		t.Errorf("progress %v, want the latest report %v", p.Progress, want)
	}
}

// Monthly sums of the release before name themes in full; writes since
// name them by slot, in the same month's hash. Both add up, and a rebuild
// (all by slot) gives the same figures.
func TestSumsOfTheReleaseBeforeAddUp(t *testing.T) {
	rdb, s, _ := loadLedgerFixture(t)
	ctx := context.Background()
	if _, err := s.AddPledge(ctx, "town", fixtureAnn, bot.NewPledge{Text: "Hire", Theme: "volunteering", Target: 8, Visibility: bot.Public}, "r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogProgress(ctx, "town", fixtureAnn, 3, 2.5, "", "r2"); err != nil {
		t.Fatal(err)
	}
	nov := rdb.HGetAll(ctx, s.base("town")+"sums:2026-11").Val()
	slot := rdb.HGet(ctx, s.base("town")+"theme-slots", "volunteering").Val()
	if nov["x:volunteering"] != "1" || nov["m:#"+slot] != "1" || nov["d:#"+slot] != "2.5" {
		t.Fatalf("November's sums %v: want the old release's fields by name and the new by slot", nov)
	}
	q4 := bot.SummaryFilter{Period: bot.Period{Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		Previous: bot.Period{Start: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}}
	check := func(when string) {
		t.Helper()
		cur, _, err := s.Summary(ctx, "town", q4, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		// #1 (40, 5 logged in Q4, done) and #3 (8, 2.5), made in Q4.
		v := cur.Themes["volunteering"]
		if v == nil || v.Made != 1 || v.Done != 1 || v.Live != 2 || v.Committed != 48 || v.Delivered != 7.5 || v.ToDate != 19.5 {
			t.Errorf("%s: Q4 volunteering %+v; want made 1, done 1, live 2, committed 48, delivered 7.5, to date 19.5", when, v)
		}
	}
	check("mixed")
	if err := s.RebuildFigures(ctx, "town"); err != nil {
		t.Fatal(err)
	}
	for f := range rdb.HGetAll(ctx, s.base("town")+"sums:2026-11").Val() {
		if !strings.Contains(f, ":#") && !strings.HasPrefix(f, "~") { // (and the month's businesses)
			t.Errorf("rebuilt sums field %s names its theme in full", f)
		}
	}
	check("rebuilt")
}
