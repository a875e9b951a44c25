package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
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
