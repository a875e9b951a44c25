package store_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// After erasing dave, a member of the partner who posted a need (his
// person:ID:needs), recorded an outcome, confirmed and queried entries,
// and was asked about progress, no key under the test's prefix (strings,
// hashes, lists, sets, zsets, streams: f.naming reads them all) holds his
// identity or his user name. A confirm link's visitor name is free text
// and is not tied to him, so it is not looked for.
func TestEraseScanFindsNothingOfThePerson(t *testing.T) {
	f := noticeFixture(t)
	if _, err := f.s.PostNeed(ctx, c, dave, bot.Need{Text: "Volunteers", Theme: "volunteering", Target: 40, Unit: "hours", Partner: 1}, "n1"); err != nil {
		t.Fatal(err)
	}
	for i, v := range []float64{8, 2} {
		if _, err := f.s.LogProgress(ctx, c, alice, 1, v, "", "e"+string(rune('1'+i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := f.s.CheckEntry(ctx, c, dave, bot.CheckEntry{Pledge: 1, Entry: 1}, "c1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.CheckEntry(ctx, c, dave, query(2, "was it 2?"), "q2"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RecordOutcome(ctx, c, dave, 1, "Twelve hours at the bank", "o1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CorrectProgress(ctx, c, alice, 1, 2, 3, "three", "k2"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Erase(ctx, "operator:root", dave.ID); err != nil {
		t.Fatal(err)
	}
	if left := f.naming(t, dave.ID); len(left) > 0 {
		t.Errorf("dave is still named after his erasure:\n%s", strings.Join(left, "\n"))
	}
}

// After deleting business #1 (a pledge made to a partner, progress asked
// about, confirmed, queried, corrected, an outcome and a need pledged
// against), no key under the test's prefix holds its name (as typed or as
// JSON writes "&") or a key of its own (business:1).
func TestDeleteBusinessScanFindsNothingOfIt(t *testing.T) {
	f := noticeFixture(t)
	if _, err := f.s.LogProgress(ctx, c, alice, 1, 8, "", "e1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.CheckEntry(ctx, c, dave, query(1, "was it 8?"), "q1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RecordOutcome(ctx, c, dave, 1, "Eight hours at the bank", "o1"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	keys, err := pledgetest.Keys(f.rdb, f.prefix)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := contents(t, f, k)
		for _, name := range []string{"Acme & Sons", `Acme \u0026 Sons`, "Acme"} {
			if strings.Contains(v, name) {
				t.Errorf("%s still holds %q: %s", k, name, v)
			}
		}
		if strings.Contains(k, ":business:1:") || strings.HasSuffix(k, ":business:1") {
			t.Errorf("key %s is left", k)
		}
	}
}
