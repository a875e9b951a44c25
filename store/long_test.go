package store_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

// A text longer than 64 bytes is kept in 64-byte fields, never split
// inside a character, so the pledge's hash stays compact (a listpack);
// it reads back whole everywhere, and a shorter edit leaves no parts.
func TestLongTextKeepsPledgeCompact(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	for _, tc := range []struct {
		name, text string
	}{
		{"ascii", strings.Repeat("Give forty hours to the food bank. ", 14)[:490]},
		{"two-byte", strings.Repeat("Zoë's café ", 40)},
		{"emoji", strings.Repeat("🌱 plant trees ", 30)},
		{"exactly 64", strings.Repeat("a", 64)},
		{"65 with a character across the edge", strings.Repeat("a", 63) + "ëb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n := len([]rune(tc.text)); n > bot.MaxText {
				t.Fatalf("test text of %d characters is over MaxText", n)
			}
			p := f.pledge(t, alice, bot.NewPledge{Text: tc.text})
			base := f.prefix + ":{c1}:"
			if p.Text != tc.text {
				t.Fatalf("add answered %q", p.Text)
			}
			got, _, err := f.s.Pledge(ctx, c, alice, p.Number)
			if err != nil || got.Text != tc.text {
				t.Fatalf("read back %q (%v)", got.Text, err)
			}
			// The pledge is packed (lua/prelude.lua pledge_load): its text
			// whole, its bucket compact.
			// (The embedded store has no encodings: memory is Redis's.)
			bucket := base + store.PledgeBucket(p.Number)
			if enc := f.rdb.ObjectEncoding(ctx, bucket).Val(); enc != "listpack" && !pledgetest.OnEmbedded() {
				t.Errorf("pledge bucket is a %s", enc)
			}
			for field, v := range f.rdb.HGetAll(ctx, bucket).Val() {
				if len(v) > 64 {
					t.Errorf("field %s holds %d bytes", field, len(v))
				}
			}
			if h, err := store.ReadPackedPledge(ctx, f.rdb, base, p.Number); err != nil || h["x"] != tc.text || !utf8.ValidString(h["x"]) {
				t.Errorf("stored text %q (%v)", h["x"], err)
			}
			short := "Short now"
			if _, err := f.s.EditPledge(ctx, c, alice, p.Number, bot.PledgeEdit{Text: &short}, ""); err != nil {
				t.Fatal(err)
			}
			if got, _, _ := f.s.Pledge(ctx, c, alice, p.Number); got.Text != short {
				t.Errorf("after the edit %q", got.Text)
			}
			if h, _ := store.ReadPackedPledge(ctx, f.rdb, base, p.Number); h["x"] != short || h["x2"] != "" {
				t.Errorf("after a shorter edit the pledge keeps %v", h)
			}
			if _, err := f.s.EditPledge(ctx, c, alice, p.Number, bot.PledgeEdit{Text: &tc.text}, ""); err != nil {
				t.Fatal(err)
			}
			list, err := f.s.Pledges(ctx, c, alice, bot.PledgeFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range list {
				if q.Number == p.Number && q.Text != tc.text {
					t.Errorf("list shows %q", q.Text)
				}
			}
		})
	}
}

// A pledge's pointers into the ledger grow with every write: five hundred
// entries take many 64-byte fields, and the history, its numbering and a
// correction of the first entry still work.
func TestManyEntriesOnOnePledge(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	p := f.pledge(t, alice, bot.NewPledge{Text: "busy", Target: 1000})
	for i := 0; i < 500; i++ {
		if _, err := f.s.LogProgress(ctx, c, alice, p.Number, 1, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.CorrectProgress(ctx, c, alice, p.Number, 1, 3, "first was 3", ""); err != nil {
		t.Fatal(err)
	}
	got, events, err := f.s.Pledge(ctx, c, alice, p.Number)
	if err != nil || got.Progress != 502 {
		t.Fatalf("progress %v (%v), want 502", got.Progress, err)
	}
	// The last 100 events: entries 402 to 500 and the correction.
	if len(events) != 101 || events[1].Entry != 402 || events[100].Kind != bot.EventCorrected {
		t.Errorf("%d events, first entry %d, last %q", len(events), events[1].Entry, events[100].Kind)
	}
	bucket := f.prefix + ":{c1}:" + store.PledgeBucket(p.Number)
	if enc := f.rdb.ObjectEncoding(ctx, bucket).Val(); enc != "listpack" && !pledgetest.OnEmbedded() {
		t.Errorf("pledge bucket is a %s", enc)
	}
}

// Moving a pledge between a total and a rate theme changes what its
// progress is: the sum of its entries, or the latest one.
func TestMeasureMoveRecomputesProgress(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	p := f.pledge(t, alice, bot.NewPledge{Text: "share", Theme: "volunteering", Target: 100, Unit: "hours", Visibility: bot.Public})
	for _, v := range []float64{60, 80} {
		if _, err := f.s.LogProgress(ctx, c, alice, p.Number, v, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	move := func(theme, measure string) float64 {
		t.Helper()
		target := 100.0
		got, err := f.s.EditPledge(ctx, c, alice, p.Number, bot.PledgeEdit{Theme: &theme, Measure: &measure, Target: &target}, "")
		if err != nil {
			t.Fatal(err)
		}
		return got.Progress
	}
	if got := move("fair-pay", bot.MeasureRate); got != 80 {
		t.Errorf("as a rate: progress %v, want the latest report, 80", got)
	}
	if got := move("volunteering", ""); got != 140 {
		t.Errorf("back as a total: progress %v, want 140", got)
	}
}
