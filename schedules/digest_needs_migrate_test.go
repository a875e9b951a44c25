package schedules

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/store"
)

// Needs met before met_at was kept get it from the migration (the time
// their ledger entries first, for the last time, reached the target),
// so a later write to one of their pledges does not list them under
// "Needs met this week"; a need met in the week still is.
func TestMigrateNeedsMetBeforeUpgrade(t *testing.T) {
	e := setup(t, config.Schedules{})
	ctx := context.Background()
	e.at(t, "2026-11-10 12:00")
	e.MustDo("fb", "/partner register Food Bank area:CB1")
	e.MustDo("acme", "/business register Acme")
	// #1: 4 on 10 Nov, 6 on 12 Nov: met at 12 Nov 12:00 (10 of 10).
	e.MustDo("fb", "/need post One theme:volunteering target:10")
	e.MustDo("acme", "/pledge add P1 theme:volunteering target:10 need:1") // pledge #1
	e.MustDo("acme", "/pledge progress 1 4")
	// #2: 3 on 10 Nov, corrected to 5 on 13 Nov: met by the correction.
	e.MustDo("fb", "/need post Two theme:volunteering target:5")
	e.MustDo("acme", "/pledge add P2 theme:volunteering target:5 need:2") // pledge #2
	e.MustDo("acme", "/pledge progress 2 3")
	// #3: 8 on 11 Nov (met), corrected to 2 on 12 Nov (not), 6 more on
	// 14 Nov: met again at 14 Nov, the time that counts.
	e.MustDo("fb", "/need post Three theme:volunteering target:8")
	e.MustDo("acme", "/pledge add P3 theme:volunteering target:8 need:3") // pledge #3
	// #4: 2 of 2 on 10 Nov, its ledger pointers lost (data older than
	// the ledger): dated by its creation, 10 Nov 12:00.
	e.MustDo("fb", "/need post Four theme:volunteering target:2")
	e.MustDo("acme", "/pledge add P4 theme:volunteering target:2 need:4") // pledge #4
	e.MustDo("acme", "/pledge progress 4 2")
	e.at(t, "2026-11-11 12:00")
	e.MustDo("acme", "/pledge progress 3 8")
	e.at(t, "2026-11-12 12:00")
	e.MustDo("acme", "/pledge progress 1 6")
	e.MustDo("acme", "/pledge correct 3 2 entry:1 miscounted")
	e.at(t, "2026-11-13 12:00")
	e.MustDo("acme", "/pledge correct 2 5 entry:1 miscounted")
	e.at(t, "2026-11-14 12:00")
	e.MustDo("acme", "/pledge progress 3 6")

	// As the release before met_at left them.
	base := fmt.Sprintf("%s:{%s}:", e.Prefix, e.Community())
	for n := 1; n <= 4; n++ {
		e.Redis.HDel(ctx, fmt.Sprintf("%sneed:%d", base, n), "met_at")
	}
	p4, err := store.ReadPackedPledge(ctx, e.Redis, base, 4)
	if err != nil || p4 == nil {
		t.Fatalf("pledge 4: %v %v", p4, err)
	}
	delete(p4, "lg")
	store.WritePackedPledge(ctx, e.Redis, base, 4, p4)
	e.Redis.HDel(ctx, base+"migrations", "needs-met")

	e.at(t, "2026-11-16 08:00") // the upgrade's start
	if n, err := e.Store.MigrateNeedsMet(ctx, e.Community()); err != nil || n != 4 {
		t.Fatalf("MigrateNeedsMet = %d, %v; want 4 needs dated", n, err)
	}
	for n, at := range map[int]string{1: "2026-11-12 12:00", 2: "2026-11-13 12:00", 3: "2026-11-14 12:00", 4: "2026-11-10 12:00"} {
		if got, want := needMetAt(t, e, n), strconv.FormatInt(local(t, at).Unix(), 10); got != want {
			t.Errorf("need #%d met_at = %q, want %q (%s)", n, got, want, at)
		}
	}
	if n, err := e.Store.MigrateNeedsMet(ctx, e.Community()); err != nil || n != 0 {
		t.Errorf("second MigrateNeedsMet = %d, %v; want 0", n, err)
	}

	// In the digest's week (16 to 22 Nov): a write to #1's pledge (11 of
	// 10, still met) and #5 met on 19 Nov.
	e.at(t, "2026-11-17 12:00")
	e.MustDo("acme", "/pledge progress 1 1")
	e.MustDo("fb", "/need post Five theme:volunteering target:3")
	e.MustDo("acme", "/pledge add P5 theme:volunteering target:3 need:5") // pledge #5
	e.at(t, "2026-11-19 12:00")
	e.MustDo("acme", "/pledge progress 5 3")

	e.subscribeDigest(t)
	text := digestParts(t, e, "2026-11-23 09:00")
	met := "Needs met this week\n  #5 Five · volunteering · pledged 3 hours, delivered 3 hours of 3 hours"
	if !strings.Contains(text, met) {
		t.Errorf("digest lacks %q:\n%s", met, text)
	}
	for _, not := range []string{"#1 One", "#2 Two", "#3 Three", "#4 Four"} {
		if strings.Contains(text, not) {
			t.Errorf("digest lists %q, met before the week:\n%s", not, text)
		}
	}
}
