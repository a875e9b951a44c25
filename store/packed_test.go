package store

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"

	"github.com/redis/go-redis/v9"
)

// packedPledge is pledge n's fields by stored name as the store keeps
// them (packed in its bucket, ReadPackedPledge), or, for a pledge not
// packed yet, its hash pledge:N of a release before; nil for none.
func packedPledge(t *testing.T, rdb redis.Cmdable, base string, n int) map[string]string {
	t.Helper()
	ctx := context.Background()
	h, err := ReadPackedPledge(ctx, rdb, base, n)
	if err != nil {
		t.Fatalf("pledge %d: %v", n, err)
	}
	if h != nil {
		return h
	}
	if old := rdb.HGetAll(ctx, base+"pledge:"+strconv.Itoa(n)).Val(); len(old) > 0 {
		return old
	}
	return nil
}

// Pledge hashes as the current release (8a0da89) keeps them, short field
// names and long values in 64-byte parts, are packed by MigratePacked once
// and read as before: the ledger fixture's #1 (its pointers cut into two
// parts here, as a long history's are: the second stays a field of the
// bucket, pledge_ext) and #2, and a #3 with every
// optional field, a text of 300 bytes holding bytes the packing uses
// itself, a field no slot holds and a snooze time that is not a whole
// number. The fixture's scenario: ledger_format_test.go.
func TestMigratePacked(t *testing.T) {
	rdb, s, _ := loadLedgerFixture(t)
	ctx := context.Background()
	base := s.base("town")
	rdb.HSet(ctx, base+"pledge:1", "lg", "2026-08:0.1", "lg2", ",2026-10:0,2026-11:0.1", "lgn", "1")
	text := strings.Repeat("Sweep\x00 the\x01 park\xfa\xfb| ", 20) // 300 bytes
	rdb.HSet(ctx, base+"pledge:3", "b", "1", "t", "volunteering", "g", "120", "u", "minutes", "f", "0.0166667",
		"w", "slack:T1:UBOB", "c", "1786352400", "a", "1786352400", "d", "2026-12-31", "v", "private", "s", "withdrawn",
		"z", "1786352400", "n", "1790000000.5", "p", "0", "pt", "4", "zz", "\x02", "x", text[:64], "x2", text[64:128],
		"x3", text[128:192], "x4", text[192:256], "x5", text[256:])
	rdb.Set(ctx, base+"seq:pledge", 3, 0)

	if n, err := s.MigratePacked(ctx, "town"); err != nil || n != 3 {
		t.Fatalf("packed %d pledges, %v; want 3", n, err)
	}
	if n, err := s.MigratePacked(ctx, "town"); err != nil || n != 0 {
		t.Fatalf("second run packed %d, %v; want 0", n, err)
	}
	if n := rdb.Exists(ctx, base+"pledge:1", base+"pledge:2", base+"pledge:3").Val(); n != 0 {
		t.Errorf("%d pledge hashes left", n)
	}
	if v := rdb.HGet(ctx, base+"pledges:0", "1:2").Val(); v != ",2026-10:0,2026-11:0.1" {
		t.Errorf("#1's lg2 in its bucket: %q", v)
	}
	// (The embedded store has no encodings: memory is Redis's.)
	if enc := rdb.ObjectEncoding(ctx, base+"pledges:0").Val(); enc != "listpack" && !onEmbedded() {
		t.Errorf("the bucket is a %s", enc)
	}
	want := map[int]map[string]string{
		1: {"b": "1", "z": "1795172400", "c": "1786352400", "w": "slack:T1:UANN", "lg": "2026-08:0.1",
			"lg2": ",2026-10:0,2026-11:0.1", "lgn": "1", "p": "17", "s": "done", "g": "40", "x": "Volunteer", "t": "volunteering", "u": "hours", "a": "1795172400"},
		2: {"b": "1", "c": "1786352400", "w": "slack:T1:UANN", "lg": "2026-08:2.3,2026-10:1", "m": "rate", "p": "80",
			"g": "100", "x": "Pay fair", "t": "fair-pay", "u": "%", "a": "1792058400"},
		3: {"b": "1", "t": "volunteering", "g": "120", "u": "minutes", "f": "0.0166667", "w": "slack:T1:UBOB",
			"c": "1786352400", "a": "1786352400", "d": "2026-12-31", "v": "private", "s": "withdrawn", "z": "1786352400",
			"n": "1790000000.5", "p": "0", "pt": "4", "zz": "\x02", "x": text},
	}
	for n, w := range want {
		if got := packedPledge(t, rdb, base, n); !reflect.DeepEqual(got, w) {
			t.Errorf("pledge %d packed\n %q\nwant\n %q", n, got, w)
		}
	}

	want1 := "08-10 created UANN 0; 08-10 progress UANN 10 first entry 1; 10-15 progress UBOB 5 entry 2; " +
		"11-20 corrected UANN 12 typo entry 1; 11-20 done UANN 0 all done"
	if got := history(t, s, 1); got != want1 {
		t.Errorf("#1 history:\n %s\nwant\n %s", got, want1)
	}
	admin := bot.Actor{ID: fixtureAnn.ID, Admin: true}
	p1, _, err := s.Pledge(ctx, "town", admin, 1)
	if err != nil || p1.Progress != 17 || p1.Status != bot.StatusDone || p1.Target != 40 ||
		!p1.CreatedAt.Equal(time.Date(2026, 8, 10, 9, 0, 0, 0, time.UTC)) || !p1.UpdatedAt.Equal(time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("pledge 1 reads %+v (%v)", p1, err)
	}
	p2, _, err := s.Pledge(ctx, "town", admin, 2)
	if err != nil || p2.Text != "Pay fair" || !p2.Rate || p2.Progress != 80 || p2.Status != bot.StatusActive {
		t.Errorf("pledge 2 reads %+v (%v)", p2, err)
	}
	p3, _, err := s.Pledge(ctx, "town", admin, 3)
	if err != nil || p3.Text != text || p3.Visibility != "private" || p3.Status != bot.StatusWithdrawn ||
		p3.Unit != "minutes" || p3.Factor != 0.0166667 || p3.Partner != 4 || !p3.Due.Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("pledge 3 reads %+v (%v)", p3, err)
	}
	// The figures: 10 Oct to 25 Nov, #1 gets 5 (15 Oct) and is done on 20
	// Nov with 12 + 5 (TestLedgerOfTheReleaseBeforeReads).
	period := bot.Period{Start: time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Daily: true}
	prev := bot.Period{Start: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), End: period.Start, Daily: true}
	cur, _, err := s.Summary(ctx, "town", bot.SummaryFilter{Period: period, Previous: prev}, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if v := cur.Themes["volunteering"]; v == nil || v.Done != 1 || v.Committed != 40 || v.Delivered != 5 || v.ToDate != 17 {
		t.Errorf("10 Oct-25 Nov volunteering %+v; want done 1, committed 40, delivered 5, to date 17", v)
	}
	// A write after: #2's report of 90, its history's new entry last.
	if _, err := s.LogProgress(ctx, "town", fixtureAnn, 2, 90, "", "r1"); err != nil {
		t.Fatal(err)
	}
	if got := packedPledge(t, rdb, base, 2); got["p"] != "90" || got["lg"] != "2026-08:2.3,2026-10:1,8y:2" {
		t.Errorf("after a report #2 holds p %q, lg %q; want 90 and a pointer to November's entry 2 (8y: 2026-11)", got["p"], got["lg"])
	}
}

// What Go packs (WritePackedPledge, for seeding) the scripts read, and
// what they pack Go reads (ReadPackedPledge): lengths either side of the
// one-byte and two-byte prefixes, the shared words, bytes below 32.
func TestPackedFormatAgrees(t *testing.T) {
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	ctx := context.Background()
	base := s.base("town")
	for i, text := range []string{"a", strings.Repeat("b", 248), strings.Repeat("c", 249), strings.Repeat("d", 70000), "\x01",
		"schools", "\x00\xff"} {
		n := 40 + i
		h := map[string]string{"x": text, "b": "1", "t": "schools", "g": "5", "u": "placement weeks", "w": "slack:T1:UANN",
			"c": "1786352400", "s": "done", "z": "0"}
		WritePackedPledge(ctx, rdb, base, n, h)
		rdb.HSet(ctx, base+"business:1", "name", "Acme")
		p, _, err := s.Pledge(ctx, "town", bot.Actor{ID: fixtureAnn.ID, Admin: true}, n)
		if err != nil || p.Text != text || p.Theme != "schools" || p.Unit != "placement weeks" || p.Target != 5 ||
			p.Status != bot.StatusDone || !p.CreatedAt.Equal(time.Unix(1786352400, 0)) {
			t.Errorf("text of %d bytes: read %+v (%v)", len(text), p, err)
		}
		if got := packedPledge(t, rdb, base, n); !reflect.DeepEqual(got, h) {
			t.Errorf("text of %d bytes: Go reads back %q", len(text), got)
		}
	}
}

// A due date is packed as its day number from 1970 (pack_day in
// lua/prelude.lua, and Go's encodePledge): the same days both ways, and
// anything that is no such date kept as it is.
func TestPackedDueDays(t *testing.T) {
	rdb, _ := testRedis(t)
	ctx := context.Background()
	src := libs.blocks[libs.definer["unpack_day"]].sent + "\n" + libs.blocks[libs.definer["pack_day"]].sent + `
local out = {}
for i, v in ipairs(ARGV) do
  local z = pack_day(v)
  out[i] = z and (z .. ' ' .. unpack_day(tonumber(z))) or 'none'
end
return out`
	for _, tc := range []struct{ date, want string }{
		{"1970-01-01", "0 1970-01-01"}, {"2026-12-31", "20818 2026-12-31"}, {"2024-02-29", "19782 2024-02-29"},
		{"2000-03-01", "11017 2000-03-01"}, {"2100-02-28", "47540 2100-02-28"},
		{"2026-02-30", "none"}, {"1969-12-31", "none"}, {"2026-1-01", "none"}, {"soon", "none"},
	} {
		got, err := rdb.Eval(ctx, src, []string{"x"}, tc.date).StringSlice()
		if err != nil || len(got) != 1 || got[0] != tc.want {
			t.Errorf("pack_day(%q) = %v (%v), want %q", tc.date, got, err, tc.want)
		}
		h := map[string]string{"b": "1", "d": tc.date}
		back, err := decodePacked(encodePledge(h))
		if err != nil || back["d"] != tc.date {
			t.Errorf("Go packs due %q and reads back %q (%v)", tc.date, back["d"], err)
		}
		if verbatim := strings.Contains(encodePledge(h), tc.date); verbatim != (tc.want == "none") {
			t.Errorf("Go packs due %q verbatim: %v", tc.date, verbatim)
		}
	}
}
