package store

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// Business bits as the release before monthly-bits-2026-12 kept them,
// bizbits:MONTH (bit N: business N wrote) and bizthemes:MONTH (bit
// N*32+SLOT: about the theme in SLOT), move into the month's sums, and
// every count of businesses is the one checked by hand, for whole months
// (read from the bits), parts of months (from the ledger), a quarter and
// each theme. A write made after the upgrade and before the migration
// (into the new fields) is kept. A second run changes nothing.
//
// The scenario: 10 Oct 2026 Acme (1) pledges carbon 100, Bikes (2) waste 5;
// Cafe (3) registers. 12 Nov Acme logs 10; Cafe pledges carbon 3 and
// volunteering 8. 5 Dec Bikes logs 2. Then, after the old layout is in
// place, 20 Nov Bikes pledges carbon 1.
func TestMigrateMonthBitsKeepsBusinessCounts(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	actors := make([]bot.Actor, 3)
	for i, name := range []string{"Acme", "Bikes", "Cafe"} {
		actors[i] = bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: strings.ToLower(name)}}
		if _, err := s.RegisterBusiness(ctx, "c", actors[i], bot.Business{Name: name, CreatedAt: now}, ""); err != nil {
			t.Fatal(err)
		}
	}
	pledge := func(biz int, theme string, target float64) {
		t.Helper()
		np := bot.NewPledge{Business: biz, Text: "p", Theme: theme, Target: target, Factor: 1, Visibility: bot.Public}
		if _, err := s.AddPledge(ctx, "c", actors[biz-1], np, ""); err != nil {
			t.Fatal(err)
		}
	}
	progress := func(biz, n int, amount float64) {
		t.Helper()
		if _, err := s.LogProgress(ctx, "c", actors[biz-1], n, amount, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	pledge(1, "carbon", 100) // #1
	pledge(2, "waste", 5)    // #2
	now = time.Date(2026, 11, 12, 9, 0, 0, 0, time.UTC)
	progress(1, 1, 10)
	pledge(3, "carbon", 3)       // #3
	pledge(3, "volunteering", 8) // #4
	now = time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	progress(2, 2, 2)
	now = time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)

	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	type count struct {
		name       string
		start, end time.Time
		theme      string
	}
	counts := []count{
		{"October", day(10, 1), day(11, 1), ""}, {"October carbon", day(10, 1), day(11, 1), "carbon"},
		{"October waste", day(10, 1), day(11, 1), "waste"}, {"November", day(11, 1), day(12, 1), ""},
		{"November carbon", day(11, 1), day(12, 1), "carbon"}, {"November volunteering", day(11, 1), day(12, 1), "volunteering"},
		{"November waste", day(11, 1), day(12, 1), "waste"}, {"Q4", day(10, 1), day(12, 31).AddDate(0, 0, 1), ""},
		{"Q4 carbon", day(10, 1), day(12, 31).AddDate(0, 0, 1), "carbon"}, {"1 Oct to 15 Nov", day(10, 1), day(11, 15), ""},
	}
	businesses := func() string {
		t.Helper()
		var out []string
		for _, c := range counts {
			f := bot.SummaryFilter{Period: bot.Period{Start: c.start, End: c.end}, Previous: bot.Period{Start: c.start, End: c.start}, Theme: c.theme}
			cur, _, err := s.Summary(ctx, "c", f, now)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s %d", c.name, cur.Businesses))
		}
		return strings.Join(out, "; ")
	}
	// By hand: October Acme and Bikes (carbon Acme, waste Bikes); November
	// Acme and Cafe (carbon both, volunteering Cafe); December Bikes.
	want := "October 2; October carbon 1; October waste 1; November 2; November carbon 2; November volunteering 1; " +
		"November waste 0; Q4 3; Q4 carbon 2; 1 Oct to 15 Nov 3"
	if got := businesses(); got != want {
		t.Fatalf("as written:\n%s\nwant\n%s", got, want)
	}

	// The layout of the release before, from what this one wrote.
	slots := rdb.HGetAll(ctx, s.key("c", "theme-slots")).Val()
	if slots["carbon"] != "0" || slots["waste"] != "1" || slots["volunteering"] != "2" {
		t.Fatalf("theme slots %v", slots)
	}
	months := rdb.ZRange(ctx, s.key("c", "months"), 0, -1).Val()
	if !reflect.DeepEqual(months, []string{"2026-10", "2026-11", "2026-12"}) {
		t.Fatalf("months %v", months)
	}
	written := map[string]map[string]string{}
	for _, mo := range months {
		sums := s.key("c", "sums", mo)
		written[mo] = map[string]string{}
		for f, v := range rdb.HGetAll(ctx, sums).Val() {
			if !strings.HasPrefix(f, "~") {
				continue
			}
			written[mo][f] = v
			rdb.HDel(ctx, sums, f)
			for n := range int64(len(v) * 8) {
				if bitOf(v, n) {
					if f == "~" {
						rdb.SetBit(ctx, s.key("c", "bizbits", mo), n, 1)
					} else {
						slot, _ := strconv.ParseInt(f[1:], 10, 64)
						rdb.SetBit(ctx, s.key("c", "bizthemes", mo), n*32+slot, 1)
					}
				}
			}
		}
	}
	// By hand, the bits this release wrote: business N is bit N, most
	// significant first, so 1 is 0x40, 2 0x20, 3 0x10.
	wantBits := map[string]map[string]string{
		"2026-10": {"~": "\x60", "~0": "\x40", "~1": "\x20"},
		"2026-11": {"~": "\x50", "~0": "\x50", "~2": "\x10"},
		"2026-12": {"~": "\x20", "~1": "\x20"},
	}
	if !reflect.DeepEqual(written, wantBits) {
		t.Fatalf("bits written: %q, want %q", written, wantBits)
	}
	if got := businesses(); !strings.HasPrefix(got, "October 0;") {
		t.Fatalf("the old keys are read as they are: %s", got)
	}
	// After the upgrade, before the migration: Bikes pledges carbon on 20 Nov.
	now = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	pledge(2, "carbon", 1) // #5
	now = time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)

	n, err := s.MigrateMonthBits(ctx, "c")
	if err != nil || n != 3 {
		t.Fatalf("migrated %d months, %v; want 3", n, err)
	}
	wantBits["2026-11"] = map[string]string{"~": "\x70", "~0": "\x70", "~2": "\x10"}
	for _, mo := range months {
		got := map[string]string{}
		for f, v := range rdb.HGetAll(ctx, s.key("c", "sums", mo)).Val() {
			if strings.HasPrefix(f, "~") {
				got[f] = v
			}
		}
		if !reflect.DeepEqual(got, wantBits[mo]) {
			t.Errorf("%s after the migration: %q, want %q", mo, got, wantBits[mo])
		}
		for _, old := range []string{"bizbits", "bizthemes"} {
			if rdb.Exists(ctx, s.key("c", old, mo)).Val() != 0 {
				t.Errorf("%s:%s left behind", old, mo)
			}
		}
	}
	if rdb.Exists(ctx, s.key("c", "tmp:bits")).Val() != 0 {
		t.Error("scratch key left behind")
	}
	// By hand, with Bikes in November's carbon: November 3, carbon 3; Q4
	// carbon 3; the rest as before.
	want = "October 2; October carbon 1; October waste 1; November 3; November carbon 3; November volunteering 1; " +
		"November waste 0; Q4 3; Q4 carbon 3; 1 Oct to 15 Nov 3"
	if got := businesses(); got != want {
		t.Fatalf("after the migration:\n%s\nwant\n%s", got, want)
	}
	if n, err := s.MigrateMonthBits(ctx, "c"); err != nil || n != 0 {
		t.Fatalf("second run: %d months, %v", n, err)
	}
	if got := businesses(); got != want {
		t.Fatalf("after a second run:\n%s", got)
	}
}

// bitOf reports bit n of bitmap v as GETBIT numbers them.
func bitOf(v string, n int64) bool {
	return int(n/8) < len(v) && v[n/8]&(0x80>>(n%8)) != 0
}
