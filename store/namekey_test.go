package store_test

import (
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// TestLookAlikeNamesAreTaken: a business's name is unique by its
// look-alike skeleton (bot.NameKey), so names differing only by case,
// confusable letters or spacing are refused as taken.
func TestLookAlikeNamesAreTaken(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme Bakery")
	for _, name := range []string{"acme bakery", "Аcme Bakery" /* Cyrillic А */, "Acme  Bakery", "Αcme Βakery" /* Greek */, "Ac\u200bme Bakery"} {
		if _, err := f.s.RegisterBusiness(ctx, c, bob, bot.Business{Name: name}, ""); bot.ErrorCode(err) != bot.Conflict {
			t.Errorf("%q: want conflict, got %v", name, err)
		}
	}
	if b := f.business(t, bob, "Acme Brewery"); b.Number != 2 {
		t.Fatalf("another name: #%d", b.Number)
	}
}

// TestOlderBusinessNamesStillBlock: a business registered before skeletons
// (keyed by its lowercased name only) still blocks its exact name, and,
// once the skeletons are backfilled, its look-alikes; deleting it frees
// both keys.
func TestOlderBusinessNamesStillBlock(t *testing.T) {
	f := newFixture(t)
	old := f.business(t, alice, "Mill Café")
	// Put it back as the old register script left it: keyed by its
	// lowercased name, which is not its skeleton ("m" looks like "rn").
	names, bkey := f.prefix+":{"+c+"}:business-names", f.prefix+":{"+c+"}:business:1"
	f.rdb.HDel(ctx, names, bot.NameKey("Mill Café"))
	f.rdb.HSet(ctx, names, "mill café", old.Number)
	f.rdb.HSet(ctx, bkey, "name_key", "mill café")
	f.rdb.HDel(ctx, f.prefix+":{"+c+"}:migrations", "name-skeletons")
	for _, name := range []string{"Mill Café", "MILL CAFÉ", "Мill Café" /* Cyrillic М */, "Mi1l  Café"} {
		if _, err := f.s.RegisterBusiness(ctx, c, bob, bot.Business{Name: name}, ""); bot.ErrorCode(err) != bot.Conflict {
			t.Errorf("%q: want conflict with the older business, got %v", name, err)
		}
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, old.Number, ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.rdb.HLen(ctx, names).Result(); n != 0 {
		t.Errorf("deleting left %d name keys: %v", n, f.rdb.HGetAll(ctx, names).Val())
	}
	if b := f.business(t, bob, "Мill Café"); b.Number != 2 {
		t.Fatalf("freed name: #%d", b.Number)
	}
}
