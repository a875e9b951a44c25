package store

import (
	"context"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// Businesses as the release before name-key-2026-12 (2a6dac1) left them,
// each with name_key, its key in business-names: the migration drops the
// copies a deletion can compute again (bot.NameKey of the name) and keeps
// one keyed otherwise (registered before skeletons, by its lowercased
// name). Deleting any of them then frees its name: by the computed key, by
// the kept one, and, for a name keyed by a normalisation this release no
// longer computes and no copy, by its number.
func TestMigrateNameKeyDropsComputableCopies(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	ann := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "UANN"}}
	for _, name := range []string{"Acme Bakery", "Parkside Motors", "Mill Café"} {
		if _, err := s.RegisterBusiness(ctx, "town", ann, bot.Business{Name: name}, ""); err != nil {
			t.Fatal(err)
		}
	}
	names, biz := s.key("town", "business-names"), func(n string) string { return s.key("town", "business", n) }
	if rdb.HExists(ctx, biz("1"), "name_key").Val() {
		t.Fatal("a new business still keeps name_key")
	}
	// What the previous release wrote: name_key on every business; #3
	// registered before skeletons, keyed by its lowercased name ("m" looks
	// like "rn", so that is not its skeleton).
	rdb.HSet(ctx, biz("1"), "name_key", bot.NameKey("Acme Bakery"))
	rdb.HSet(ctx, biz("2"), "name_key", bot.NameKey("Parkside Motors"))
	rdb.HDel(ctx, names, bot.NameKey("Mill Café"))
	rdb.HSet(ctx, names, "mill café", 3)
	rdb.HSet(ctx, biz("3"), "name_key", "mill café")
	if bot.NameKey("Mill Café") == "mill café" {
		t.Fatal("the fixture needs a name whose skeleton is not its lowercased form")
	}

	n, err := s.MigrateNameKey(ctx, "town")
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("dropped %d copies, want 2 (#1, #2)", n)
	}
	for b, want := range map[string]bool{"1": false, "2": false, "3": true} {
		if got := rdb.HExists(ctx, biz(b), "name_key").Val(); got != want {
			t.Errorf("#%s keeps name_key: %v, want %v", b, got, want)
		}
	}
	if n, err := s.MigrateNameKey(ctx, "town"); n != 0 || err != nil {
		t.Errorf("second run dropped %d (%v)", n, err)
	}

	// #2's name keyed as a later normalisation would not compute it.
	rdb.HDel(ctx, names, bot.NameKey("Parkside Motors"))
	rdb.HSet(ctx, names, "parkside motors (old key)", 2)
	for _, b := range []int{1, 2, 3} {
		if err := s.DeleteBusiness(ctx, "town", ann, b, ""); err != nil {
			t.Fatal(err)
		}
		if left := rdb.HLen(ctx, names).Val(); left != int64(3-b) {
			t.Errorf("after deleting #%d business-names holds %v", b, rdb.HGetAll(ctx, names).Val())
		}
	}
	// And the names are free again.
	for _, name := range []string{"Acme Bakery", "Parkside Motors", "Mill Café"} {
		if _, err := s.RegisterBusiness(ctx, "town", ann, bot.Business{Name: name}, ""); err != nil {
			t.Errorf("registering %q again: %v", name, err)
		}
	}
}
