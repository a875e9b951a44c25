package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func logDecision(t *testing.T, h *pledgetest.Harness, who, title, date, review, conf string, factors map[string]string) bot.Decision {
	t.Helper()
	f := bot.DecisionFields{Title: title, Date: day(date), Factors: factors, Confidentiality: conf}
	if review != "" {
		f.Review = day(review)
	}
	d, err := h.Store.LogDecision(context.Background(), h.Community(), bot.Actor{ID: console.Identity(who)}, 0, f, "")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDecisionsDueForReview is the seam for review reminders: the review
// index follows amendments and covers board records too.
func TestDecisionsDueForReview(t *testing.T) {
	h := pledgetest.New(t)
	ctx, c := context.Background(), h.Community()
	h.MustDo("alice", "/business register Acme")
	logDecision(t, h, "alice", "No review", "2026-01-10", "", bot.Board, map[string]string{"a": "x"})
	logDecision(t, h, "alice", "March review", "2026-01-11", "2027-03-01", bot.Board, map[string]string{"b": "x"})
	logDecision(t, h, "alice", "Feb review", "2026-01-12", "2027-02-01", bot.Shareable, map[string]string{"c": "x"})
	logDecision(t, h, "alice", "Later review", "2026-01-13", "2027-06-01", bot.Board, map[string]string{"d": "x"})

	titles := func(from, to string) []string {
		ds, err := h.Store.DecisionsDueForReview(ctx, c, day(from), day(to))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range ds {
			out = append(out, d.Current.Title)
		}
		return out
	}
	check := func(from, to string, want ...string) {
		t.Helper()
		got := titles(from, to)
		if len(got) != len(want) {
			t.Fatalf("due %s..%s = %q, want %q", from, to, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("due %s..%s = %q, want %q", from, to, got, want)
			}
		}
	}
	check("2027-01-01", "2027-03-31", "Feb review", "March review")
	check("2027-03-01", "2027-03-01", "March review") // both ends inclusive
	check("2027-03-02", "2027-05-31")
	// Moving a review date moves it in the index; clearing is not offered
	// by the command but the store supports it.
	alice := bot.Actor{ID: console.Identity("alice")}
	if _, err := h.Store.AmendDecision(ctx, c, alice, 4, map[string]string{"review": "2027-02-15"}, "r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.AmendDecision(ctx, c, alice, 2, map[string]string{"review": ""}, "r2"); err != nil {
		t.Fatal(err)
	}
	check("2027-01-01", "2027-03-31", "Feb review", "Later review")
	// A replayed amendment (same request id) is not appended twice.
	d, err := h.Store.AmendDecision(ctx, c, alice, 4, map[string]string{"review": "2027-02-15"}, "r1")
	if err != nil || len(d.Amendments) != 1 {
		t.Fatalf("replay appended again: %d amendments, %v", len(d.Amendments), err)
	}
	if !d.Original.Review.Equal(day("2027-06-01")) || !d.Current.Review.Equal(day("2027-02-15")) {
		t.Fatalf("original %v / current %v", d.Original.Review, d.Current.Review)
	}
}

func TestS172CountsAndShared(t *testing.T) {
	h := pledgetest.New(t)
	ctx, c := context.Background(), h.Community()
	h.MustDo("alice", "/business register Acme")
	h.MustDo("bob", "/business register Bakery")
	logDecision(t, h, "alice", "Old", "2025-06-01", "", bot.Shareable, map[string]string{"a": "x"})
	logDecision(t, h, "alice", "Secret one", "2026-02-01", "", bot.Board, map[string]string{"a": "x", "b": "y"})
	logDecision(t, h, "bob", "Open one", "2026-03-01", "", bot.Shareable, map[string]string{"b": "x", "f": "z"})
	logDecision(t, h, "bob", "Open two", "2026-04-01", "", bot.Shareable, map[string]string{"c": "x"})

	total, shared, by, err := h.Store.S172Counts(ctx, c, day("2026-01-01"), day("2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"a": 1, "b": 2, "c": 1, "d": 0, "e": 0, "f": 1}
	if total != 3 || shared != 2 {
		t.Errorf("total %d shareable %d, want 3 2", total, shared)
	}
	for l, n := range want {
		if by[l] != n {
			t.Errorf("factor %s: %d, want %d", l, by[l], n)
		}
	}
	ds, err := h.Store.SharedDecisions(ctx, c, day("2026-01-01"), day("2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Current.Title != "Open one" || ds[1].Current.Title != "Open two" || ds[0].BusinessName != "Bakery" {
		t.Fatalf("shared = %+v", ds)
	}
	// The digest counts decisions by when they were logged (all four just
	// now), whatever dates they are about; the end is exclusive.
	now := h.Clock.Now()
	titles, confidential, err := h.Store.S172Decisions(ctx, c, now.Add(-time.Hour), now.Add(time.Second))
	if err != nil || confidential != 1 || len(titles) != 3 || titles[0] != "#1 Old (Acme)" || titles[1] != "#3 Open one (Bakery)" {
		t.Fatalf("digest source: %q %d %v", titles, confidential, err)
	}
	if titles, confidential, err := h.Store.S172Decisions(ctx, c, now.Add(-time.Hour), now); err != nil || len(titles)+confidential != 0 {
		t.Fatalf("logged after the end: %q %d %v", titles, confidential, err)
	}
	// Making a board record shareable by amendment puts it in the shared list.
	if _, err := h.Store.AmendDecision(ctx, c, bot.Actor{ID: console.Identity("alice")}, 2,
		map[string]string{"confidentiality": bot.Shareable}, ""); err != nil {
		t.Fatal(err)
	}
	ds, _ = h.Store.SharedDecisions(ctx, c, day("2026-01-01"), day("2026-12-31"))
	if len(ds) != 3 || ds[0].Current.Title != "Secret one" {
		t.Fatalf("after amendment shared = %d", len(ds))
	}
	// Empty community, empty answers.
	total, shared, by, err = h.Store.S172Counts(ctx, "nobody-here", time.Time{}, time.Time{})
	if err != nil || total != 0 || shared != 0 || by["a"] != 0 {
		t.Fatalf("empty counts %d %d %v %v", total, shared, by, err)
	}
}

// TestS172RoundTripsAndRefusals: log and amend are one round trip each,
// show and list one; refused writes leave every key as it was.
func TestS172RoundTripsAndRefusals(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.business(t, bob, "Bakery")
	private := f.pledge(t, alice, bot.NewPledge{Text: "secret", Theme: "carbon", Visibility: bot.Private})
	fields := bot.DecisionFields{Title: "T", Date: day("2026-03-01"), Factors: map[string]string{"a": "x"}, Confidentiality: bot.Board}
	measure := func(name string, fn func() error) {
		t.Helper()
		f.rt.Reset()
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := f.rt.Count(); got > 1 {
			t.Errorf("%s took %d round trips, budget 1", name, got)
		}
	}
	measure("log", func() error { _, err := f.s.LogDecision(ctx, c, alice, 0, fields, "q1"); return err })
	measure("amend", func() error {
		_, err := f.s.AmendDecision(ctx, c, alice, 1, map[string]string{"outcome": "ok", "review": "2026-09-01"}, "q2")
		return err
	})
	measure("show", func() error { _, err := f.s.Decision(ctx, c, alice, 1); return err })
	measure("list", func() error { _, err := f.s.Decisions(ctx, c, alice, bot.DecisionFilter{}); return err })
	measure("counts", func() error { _, _, _, err := f.s.S172Counts(ctx, c, time.Time{}, time.Time{}); return err })

	before := f.snapshot(t)
	refusals := []struct {
		name string
		code bot.Code
		fn   func() error
	}{
		{"link another business's private pledge", bot.NotFound, func() error {
			g := fields
			g.Pledges = []int{private.Number}
			_, err := f.s.LogDecision(ctx, c, bob, 0, g, "")
			return err
		}},
		{"log without a factor", bot.Invalid, func() error {
			g := fields
			g.Factors = nil
			_, err := f.s.LogDecision(ctx, c, alice, 0, g, "")
			return err
		}},
		{"log for another business", bot.Forbidden, func() error { _, err := f.s.LogDecision(ctx, c, bob, 1, fields, ""); return err }},
		{"amend review before date", bot.Invalid, func() error {
			_, err := f.s.AmendDecision(ctx, c, alice, 1, map[string]string{"review": "2026-02-01"}, "")
			return err
		}},
		{"amend date after review", bot.Invalid, func() error {
			_, err := f.s.AmendDecision(ctx, c, alice, 1, map[string]string{"date": "2026-10-01"}, "")
			return err
		}},
		{"amend away the last factor", bot.Invalid, func() error {
			_, err := f.s.AmendDecision(ctx, c, alice, 1, map[string]string{"a": ""}, "")
			return err
		}},
		{"amend a board record of another business", bot.NotFound, func() error {
			_, err := f.s.AmendDecision(ctx, c, bob, 1, map[string]string{"outcome": "x"}, "")
			return err
		}},
		{"amend linking a missing pledge", bot.NotFound, func() error {
			_, err := f.s.AmendDecision(ctx, c, alice, 1, map[string]string{"pledges": "99"}, "")
			return err
		}},
	}
	for _, r := range refusals {
		if err := r.fn(); bot.ErrorCode(err) != r.code {
			t.Errorf("%s: got %v, want %s", r.name, err, r.code)
		}
	}
	sameSnapshot(t, before, f.snapshot(t))
	// The original hash was never rewritten by the amendment.
	d, err := f.s.Decision(ctx, c, admin, 1)
	if err != nil || d.Original.Outcome != "" || d.Current.Outcome != "ok" || len(d.Amendments) != 1 || d.Amendments[0].By != alice.ID.Key() {
		t.Fatalf("decision after amend: %+v %v", d, err)
	}
}

// BenchmarkS172 measures the s172 store calls against real Redis: a log,
// and a statement-sized read (the 100 decisions of one business).
func BenchmarkS172(b *testing.B) {
	rdb := pledgetest.Client(b)
	prefix := pledgetest.Prefix(b, rdb)
	s := store.New(rdb, prefix)
	if err := s.LoadScripts(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := s.RegisterBusiness(ctx, c, alice, bot.Business{Name: "Acme", CreatedAt: time.Now()}, ""); err != nil {
		b.Fatal(err)
	}
	fields := bot.DecisionFields{Title: "Switch to a local parts supplier", Date: day("2026-03-01"),
		Factors: map[string]string{"c": "two Cambridge wholesalers, 30-day terms", "d": "fewer delivery miles"},
		Outcome: "approved", Review: day("2027-03-01"), Confidentiality: bot.Board}
	b.Run("log", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.LogDecision(ctx, c, alice, 0, fields, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("list-100", func(b *testing.B) {
		for b.Loop() {
			ds, err := s.Decisions(ctx, c, alice, bot.DecisionFilter{Business: 1, Limit: 100})
			if err != nil || len(ds) != 100 {
				b.Fatalf("%d %v", len(ds), err)
			}
		}
	})
}

func TestS172AmendmentCap(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	fields := bot.DecisionFields{Title: "T", Date: day("2026-03-01"), Factors: map[string]string{"a": "x"}, Confidentiality: bot.Board}
	if _, err := f.s.LogDecision(ctx, c, alice, 0, fields, ""); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if _, err := f.s.AmendDecision(ctx, c, alice, 1, map[string]string{"outcome": fmt.Sprint(i)}, ""); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.s.AmendDecision(ctx, c, alice, 1, map[string]string{"outcome": "one too many"}, "")
	if bot.ErrorCode(err) != bot.Conflict {
		t.Fatalf("201st amendment: %v", err)
	}
	d, _ := f.s.Decision(ctx, c, alice, 1)
	if len(d.Amendments) != 200 || d.Current.Outcome != "199" {
		t.Fatalf("%d amendments, outcome %q", len(d.Amendments), d.Current.Outcome)
	}
}

// TestS172DataRights: exports carry a business's decision records, deleting
// the business removes them and their index entries, and erasing a person
// scrubs them from the records and amendments.
func TestS172DataRights(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.business(t, bob, "Bikes")
	if err := f.s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	fields := bot.DecisionFields{Title: "Acme secret decision", Date: day("2026-03-01"), Review: day("2026-09-01"),
		Factors: map[string]string{"a": "Acme-only note"}, Confidentiality: bot.Board}
	for _, who := range []bot.Actor{alice, bob} {
		if _, err := f.s.LogDecision(ctx, c, who, 1, fields, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.AmendDecision(ctx, c, bob, 1, map[string]string{"outcome": "bob's amendment"}, ""); err != nil {
		t.Fatal(err)
	}
	bikes := fields
	bikes.Title, bikes.Factors = "Bikes decision", map[string]string{"b": "staff"}
	if _, err := f.s.LogDecision(ctx, c, bob, 2, bikes, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.AddStakeholder(ctx, c, alice, 1, bot.Stakeholder{Name: "Suppliers", How: "annual survey"}, ""); err != nil {
		t.Fatal(err)
	}
	x, err := f.s.ExportBusiness(ctx, c, alice, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Stakeholders) != 1 || x.Stakeholders[0] != (bot.Stakeholder{Name: "Suppliers", How: "annual survey"}) {
		t.Fatalf("export stakeholders: %+v", x.Stakeholders)
	}
	if len(x.Decisions) != 2 || len(x.Decisions[0].Amendments) != 1 || x.Decisions[0].Original.Factors["a"] != "Acme-only note" {
		t.Fatalf("export decisions: %+v", x.Decisions)
	}
	var actions []string
	for _, e := range x.Audit {
		actions = append(actions, e.Action)
	}
	if n := strings.Count(strings.Join(actions, " "), "s172."); n != 4 {
		t.Errorf("audit has %d s172 entries, want 4 (log, log, amend, stakeholders.add): %v", n, actions)
	}

	if _, err := f.s.ErasePerson(ctx, "operator:root", bob.ID); err != nil {
		t.Fatal(err)
	}
	d, err := f.s.Decision(ctx, c, alice, 2)
	if err != nil || d.CreatedBy.Valid() {
		t.Fatalf("decision 2 after erasing its author: %+v %v", d.CreatedBy, err)
	}
	d, _ = f.s.Decision(ctx, c, alice, 1)
	if len(d.Amendments) != 1 || d.Amendments[0].By != "erased" || d.Current.Outcome != "bob's amendment" {
		t.Fatalf("amendment after erasure: %+v", d.Amendments)
	}
	keys, _ := pledgetest.Keys(f.rdb, f.prefix)
	for _, k := range keys {
		if strings.Contains(k, ":s172:") || strings.Contains(k, ":business:1") {
			if v := f.dump(t, k); strings.Contains(v, bob.ID.Key()) {
				t.Errorf("key %s still names bob", k)
			}
		}
	}

	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	keys, _ = pledgetest.Keys(f.rdb, f.prefix)
	for _, k := range keys {
		if strings.Contains(k, ":s172:1") || strings.Contains(k, ":s172:2") || strings.Contains(k, ":business:1") {
			t.Errorf("leftover key %s", k)
		}
		if v := f.dump(t, k); strings.Contains(v, "Acme-only") || strings.Contains(v, "Acme secret") {
			t.Errorf("key %s still holds the deleted business's decisions", k)
		}
	}
	due, err := f.s.DecisionsDueForReview(ctx, c, day("2026-01-01"), day("2027-01-01"))
	if err != nil || len(due) != 1 || due[0].Current.Title != "Bikes decision" {
		t.Fatalf("review index after delete: %+v %v", due, err)
	}
	total, _, _, _ := f.s.S172Counts(ctx, c, time.Time{}, time.Time{})
	if total != 1 {
		t.Fatalf("counts after delete: %d", total)
	}
}

// TestS172LoggedIndexBackfilled: decisions logged before the s172:logged
// index existed are added to it, by their created_at, the first time the
// digest asks; deleting the business takes them out again.
func TestS172LoggedIndexBackfilled(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	fields := bot.DecisionFields{Title: "Older", Date: day("2026-03-01"), Factors: map[string]string{"a": "x"}, Confidentiality: bot.Shareable}
	d, err := f.s.LogDecision(ctx, c, alice, 0, fields, "")
	if err != nil {
		t.Fatal(err)
	}
	base := f.prefix + ":{" + c + "}:"
	f.rdb.Del(ctx, base+"s172:logged") // as releases before it left the data
	at, _ := f.rdb.HGet(ctx, base+"s172:1", "created_at").Int64()
	titles, confidential, err := f.s.S172Decisions(ctx, c, time.Unix(at, 0), time.Unix(at+1, 0))
	if err != nil || confidential != 0 || len(titles) != 1 || titles[0] != "#1 Older (Acme)" {
		t.Fatalf("backfilled: %q %d %v (logged %+v)", titles, confidential, err, d.Number)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if n := f.rdb.Exists(ctx, base+"s172:logged").Val(); n != 0 {
		t.Errorf("s172:logged left after the business was deleted")
	}
}
