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

// Pledges written by the release before short names (0361339's fixture,
// whose scenario ledger_format_test.go tells) are renamed once, keep
// every value, and read as they did: #1 volunteering 40 hours, 10 + 5
// logged, the first entry corrected to 12 (17), done on 20 Nov; #2
// fair-pay 100 %, a rate whose latest report is 80. A third pledge is
// written here as that release wrote one with every optional field and a
// text of two parts.
func TestMigrateShortNames(t *testing.T) {
	rdb, s, _ := loadLedgerFixtureOld(t)
	ctx := context.Background()
	base := s.base("town")
	text := strings.Repeat("Sweep the park paths every Saturday. ", 3) // 111 bytes: two parts
	rdb.HSet(ctx, base+"pledge:3", "business", "1", "theme", "volunteering", "target", "120", "unit", "minutes",
		"factor", "0.0166667", "created_by", "slack:T1:UBOB", "created_at", "1786352400", "updated_at", "1786352400",
		"due", "2026-12-31", "visibility", "private", "status", "withdrawn", "closed_at", "1786352400",
		"snooze_until", "1790000000", "progress", "0", "text", text[:64], "text2", text[64:], "pt", "4")
	rdb.Set(ctx, base+"seq:pledge", 3, 0)

	if n, err := s.MigrateShortNames(ctx, "town"); err != nil || n != 3 {
		t.Fatalf("renamed %d pledges, %v; want 3", n, err)
	}
	if n, err := s.MigrateShortNames(ctx, "town"); err != nil || n != 0 {
		t.Fatalf("second run renamed %d, %v; want 0", n, err)
	}
	// The stored names, as pledge_short in lua/prelude.lua gives them.
	want := map[int]map[string]string{
		1: {"b": "1", "z": "1795172400", "c": "1786352400", "w": "slack:T1:UANN", "lg": "2026-08:0.1,2026-10:0,2026-11:0.1",
			"p": "17", "s": "done", "g": "40", "x": "Volunteer", "t": "volunteering", "u": "hours", "a": "1795172400"},
		2: {"b": "1", "c": "1786352400", "w": "slack:T1:UANN", "lg": "2026-08:2.3,2026-10:1", "m": "rate", "p": "80",
			"g": "100", "x": "Pay fair", "t": "fair-pay", "u": "%", "a": "1792058400"},
		3: {"b": "1", "t": "volunteering", "g": "120", "u": "minutes", "f": "0.0166667", "w": "slack:T1:UBOB",
			"c": "1786352400", "a": "1786352400", "d": "2026-12-31", "v": "private", "s": "withdrawn", "z": "1786352400",
			"n": "1790000000", "p": "0", "x": text[:64], "x2": text[64:], "pt": "4"},
	}
	for n, w := range want {
		got := rdb.HGetAll(ctx, base+"pledge:"+strconv.Itoa(n)).Val()
		if !reflect.DeepEqual(got, w) {
			t.Errorf("pledge %d stored\n %v\nwant\n %v", n, got, w)
		}
	}

	admin := bot.Actor{ID: fixtureAnn.ID, Admin: true}
	p1, _, err := s.Pledge(ctx, "town", admin, 1)
	if err != nil || p1.Text != "Volunteer" || p1.Theme != "volunteering" || p1.Target != 40 || p1.Unit != "hours" ||
		p1.Progress != 17 || p1.Status != bot.StatusDone || p1.CreatedBy != fixtureAnn.ID ||
		!p1.CreatedAt.Equal(time.Date(2026, 8, 10, 9, 0, 0, 0, time.UTC)) || !p1.UpdatedAt.Equal(time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("pledge 1 reads %+v (%v)", p1, err)
	}
	p2, _, err := s.Pledge(ctx, "town", admin, 2)
	if err != nil || p2.Text != "Pay fair" || !p2.Rate || p2.Progress != 80 || p2.Status != bot.StatusActive {
		t.Errorf("pledge 2 reads %+v (%v)", p2, err)
	}
	p3, _, err := s.Pledge(ctx, "town", admin, 3)
	if err != nil || p3.Text != text || p3.Visibility != "private" || p3.Status != bot.StatusWithdrawn ||
		p3.Unit != "minutes" || p3.Factor != 0.0166667 || !p3.Due.Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("pledge 3 reads %+v (%v)", p3, err)
	}
	// A write after the migration keeps the short names (and packs the
	// pledge, lua/prelude.lua pledge_load).
	if _, err := s.LogProgress(ctx, "town", fixtureAnn, 2, 90, "", "r1"); err != nil {
		t.Fatal(err)
	}
	if got := packedPledge(t, rdb, base, 2); got["p"] != "90" || got["progress"] != "" {
		t.Errorf("after a report: p, progress = %q, %q; want 90 and none", got["p"], got["progress"])
	}
}

// An erasure in a community whose pledges still have the long field names
// (the short-names migration failed at start-up, which is logged and left
// for the next start, or erase-member ran meanwhile) renames them first:
// erase_person.lua reads created_by by its short name, so it found no
// maker in them, reported the person erased, and the next start's
// migration kept them as the pledges' maker. 0361339's fixture: Ann made
// pledges 1 and 2.
func TestEraseRenamesPledgeFieldsFirst(t *testing.T) {
	rdb, s, _ := loadLedgerFixtureOld(t)
	ctx := context.Background()
	base := s.base("town")
	if _, err := s.Erase(ctx, "operator:test", fixtureAnn.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MigrateShortNames(ctx, "town"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2} {
		h := packedPledge(t, rdb, base, n)
		if h["b"] == "" {
			t.Fatalf("pledge %d is gone: %v", n, h)
		}
		for f, v := range h {
			if strings.Contains(v, fixtureAnn.ID.Key()) {
				t.Errorf("pledge %d keeps %s = %q after the erasure", n, f, v)
			}
		}
	}
}

// pledgebot rebuild-figures on a community whose pledges still have the
// long field names (its short-names migration failed at start-up, logged
// and left for the next start) renames them first: migrate_figures.lua
// drops the sums and reads pledges by their short names, so it found none
// and left every figure at nothing. The sums it writes are those of the
// same rebuild after the migration.
func TestRebuildFiguresRenamesPledgeFieldsFirst(t *testing.T) {
	ctx := context.Background()
	sums := func(rdb *redis.Client, s *Store) map[string]map[string]string {
		out := map[string]map[string]string{}
		base := s.base("town")
		for _, mo := range rdb.ZRange(ctx, base+"months", 0, -1).Val() {
			out[mo] = rdb.HGetAll(ctx, base+"sums:"+mo).Val()
		}
		return out
	}
	rdb, s, _ := loadLedgerFixture(t)
	if err := s.RebuildFigures(ctx, "town"); err != nil {
		t.Fatal(err)
	}
	want := sums(rdb, s)
	if len(want["2026-11"]) == 0 {
		t.Fatalf("the fixture's November has no sums: %v", want)
	}
	rdb, s, _ = loadLedgerFixtureOld(t)
	if err := s.RebuildFigures(ctx, "town"); err != nil {
		t.Fatal(err)
	}
	if got := sums(rdb, s); !reflect.DeepEqual(got, want) {
		t.Errorf("sums after a rebuild of long-named pledges\n %v\nwant\n %v", got, want)
	}
}
