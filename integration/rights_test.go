package integration

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/schedules"
	"github.com/pledgebot/pledgebot/store"
	"github.com/redis/go-redis/v9"
)

// inbox is a console sender that keeps notices (digests, nudges).
type inbox struct {
	mu   sync.Mutex
	sent []bot.Notice
	down bool // refuse every send: notices stay in the outbox
}

func (i *inbox) Send(_ context.Context, n bot.Notice) error {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.down {
		return errors.New("platform down")
	}
	i.sent = append(i.sent, n)
	return nil
}

// fullBot is a harness on its own Redis with the scheduled jobs wired in,
// so every kind of key the bot writes can exist.
func fullBot(t *testing.T) (*pledgetest.Harness, *schedules.Scheduler, *inbox) {
	s := StartRedis(t)
	h := harnessOn(t, s)
	in := &inbox{}
	h.Bot.AddSender(bot.Console, in)
	sched, err := schedules.New(schedules.Options{Store: h.Store, Bot: h.Bot, Now: h.Clock.Now, Consumer: "r1",
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	h.Bot.Register(commands.Nudges(sched), commands.Digest(sched.Preview))
	return h, sched, in
}

// dump is every key of the database and its contents, one line each.
func dump(t *testing.T, rdb redis.UniversalClient) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	iter := rdb.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		var v any
		switch rdb.Type(ctx, k).Val() {
		case "string":
			v = rdb.Get(ctx, k).Val()
		case "hash":
			v = rdb.HGetAll(ctx, k).Val()
		case "list":
			v = rdb.LRange(ctx, k, 0, -1).Val()
		case "set":
			v = rdb.SMembers(ctx, k).Val()
		case "zset":
			v = rdb.ZRangeWithScores(ctx, k, 0, -1).Val()
		case "stream":
			v = rdb.XRange(ctx, k, "-", "+").Val()
		}
		out = append(out, fmt.Sprintf("%s => %v", k, v))
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// leftovers returns the dump lines that match any pattern.
func leftovers(lines []string, patterns ...*regexp.Regexp) []string {
	var out []string
	for _, l := range lines {
		for _, p := range patterns {
			if p.MatchString(l) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// TestDeleteBusinessLeavesNothing creates a business with every kind of
// data the merged features write (pledges, progress, a snooze, an s172
// record, digest and nudge runs, summaries, exports), deletes it, and SCANs
// every key and value for its number, its name and its texts.
// With the platform down, the digest and nudges naming it are still in the
// outbox when it is deleted.
func TestDeleteBusinessLeavesNothing(t *testing.T) {
	t.Run("notices sent", func(t *testing.T) { deleteBusinessCase(t, false) })
	t.Run("notices unsent", func(t *testing.T) { deleteBusinessCase(t, true) })
}

func deleteBusinessCase(t *testing.T, down bool) {
	h, sched, in := fullBot(t)
	in.down = down
	ctx := context.Background()
	c := h.Community()
	h.MustDo(h.Admin, "/roles grant coord coordinator")
	h.MustDo(h.Admin, "/roles grant council council")
	h.MustDo("coord", "/digest subscribe")
	h.MustDo("carol", `/business register "Kept Co" postcode:CB1`) // #1 stays
	h.MustDo("carol", `/pledge add "Kept pledge" theme:carbon target:3`)
	if !strings.Contains(h.MustDo("alice", `/business register "Zanzibar & Widgets" sector:retail postcode:CB2`), "#2") {
		t.Fatal("want business #2")
	}
	h.MustDo("alice", "/business add-member bob")
	h.MustDo("alice", `/pledge add "Quokka apprenticeships" theme:apprenticeships target:4 due:2026-11-28`)
	h.MustDo("alice", `/pledge add "Numbat hours" theme:volunteering target:40`)
	h.MustDo("alice", `/pledge progress 2 1 wombat-note`)
	h.MustDo("bob", `/pledge progress 3 5 dingo-note`)
	h.MustDo("alice", "/pledge snooze 3 7d")
	h.MustDo("alice", `/s172 log "Platypus decision" b:"echidna staff consulted" outcome:"bilby outcome" confidentiality:shareable`)
	h.MustDo("alice", "/pledge done 3")
	h.MustDo("council", "/summary")
	h.MustDo("council", "/summary period:2026-Q4")
	h.MustDo("alice", "/business export 2")
	for _, job := range schedules.Jobs {
		at := h.Clock.Now()
		if job == schedules.JobDigest {
			at = at.AddDate(0, 0, 1) // a digest reports the days before the one it is sent on
		}
		if _, err := sched.Run(ctx, job, c, at); err != nil {
			t.Fatalf("%s: %v", job, err)
		}
	}
	waiting, _ := h.Redis.XLen(ctx, h.Prefix+":{"+c+"}:outbox").Result()
	if (!down && len(in.sent) == 0) || (down && waiting == 0) {
		t.Fatal("the jobs made no notices: digest and nudge keys were not exercised")
	}
	before := dump(t, h.Redis)
	texts := regexp.MustCompile(`(?i)zanzibar|quokka|numbat|wombat|dingo|platypus|echidna|bilby`)
	if len(leftovers(before, texts)) == 0 {
		t.Fatal("the texts were never written: the search would prove nothing")
	}

	h.MustDo("alice", "/business delete 2 confirm")

	after := dump(t, h.Redis)
	tag := regexp.QuoteMeta("{" + c + "}")
	numbers := []*regexp.Regexp{
		texts,
		// Keys of the business, its pledges (#2, #3) and its decision (#1).
		regexp.MustCompile(tag + `:(business:2|pledge:[23]|s172:1)(:| )`),
		// The business number as a member of a set or sorted set: the
		// business index, people's businesses, stats-biz sets, last seen.
		regexp.MustCompile(`:(businesses|person:[^ ]*|stats-biz:[^ ]*|business-seen(:[0-9]+)?) => \[(.* )?(\{)?2(\}| |\])`),
		// Activity entries "seq|kind|pledge|business|…" of business 2.
		regexp.MustCompile(`[0-9]+\|[a-z-]+\|[0-9]*\|2\|`),
		// Its postcode area and the themes only it pledged to: counters
		// and daily HyperLogLogs it alone fed. (A digest waiting to be
		// sent keeps its totals by theme: aggregates, not the business.)
		regexp.MustCompile(`^[^ ]*(CB2|apprenticeships|volunteering)|^[^ ]*:(totals|stats:[^ ]*) => .*(apprenticeships|volunteering)`),
	}
	if bad := leftovers(after, numbers...); len(bad) > 0 {
		t.Errorf("business #2 left %d keys or values behind:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	// Its pledges' packed strings, in the bucket that holds pledge 1's too.
	for _, n := range []int{2, 3} {
		if p, err := store.ReadPackedPledge(ctx, h.Redis, h.Prefix+":{"+c+"}:", n); p != nil || err != nil {
			t.Errorf("business #2's pledge %d left: %v (%v)", n, p, err)
		}
	}
	// A waiting digest still goes out, without the business in it.
	if down {
		in.down = false
		if n, err := sched.Drain(ctx, c); err != nil || n != 1 {
			t.Fatalf("drain after the deletion: %d sent, %v", n, err)
		}
		if text := bot.PlainText(in.sent[0].Reply); !strings.Contains(text, "(deleted)") || texts.MatchString(text) {
			t.Errorf("digest after the deletion:\n%s", text)
		}
	}
	// The rest of the community is untouched, and the deletion is recorded.
	if !strings.Contains(h.MustDo("carol", "/pledge show 1"), "Kept pledge") {
		t.Error("another business's pledge went too")
	}
	audit := h.MustDo(h.Admin, "/audit")
	if !strings.Contains(audit, "business.delete") && !strings.Contains(strings.ToLower(audit), "deleted") {
		t.Errorf("no record of the deletion in the audit:\n%s", audit)
	}
}

// TestEraseMemberLeavesNothing erases a person who owns a business, is a
// member of another, holds a role, paused nudges, subscribed a digest,
// authored an s172 record and was nudged, then SCANs for their identity.
func TestEraseMemberLeavesNothing(t *testing.T) {
	h, sched, in := fullBot(t)
	ctx := context.Background()
	c := h.Community()
	who := console.Identity("zed")
	h.MustDo(h.Admin, "/roles grant zed coordinator")
	h.MustDo("zed", "/digest subscribe")
	h.MustDo("zed", "/nudges off")
	h.MustDo("zed", "/business register Zedco")
	h.MustDo("zed", `/pledge add "Hire two" theme:local-hiring target:2 due:2026-11-28`)
	h.MustDo("zed", `/pledge progress 1 1 first`)
	h.MustDo("zed", `/s172 log "A decision" b:"staff asked" outcome:"agreed"`)
	h.MustDo("amy", "/business register Amyco")
	h.MustDo("amy", "/business add-member zed")
	h.MustDo("amy", `/pledge add "Amy pledge" theme:carbon target:5 due:2026-11-27`)
	h.MustDo("zed", "/pledge progress 2 1 helped")
	h.MustDo("zed", "/nudges on")
	// As from a platform: with a request id, which the write scripts
	// remember in the person's request records (idem:PERSON:DAY).
	if r := h.Bot.Handle(ctx, bot.Request{ID: "trigger-1", From: who, Name: "zed", Channel: "console",
		Command: "pledge", Text: "progress 1 1 via-slack"}); r.Err != nil {
		t.Fatal(r.Err.Message)
	}
	for _, job := range schedules.Jobs {
		at := h.Clock.Now()
		if job == schedules.JobDigest {
			at = at.AddDate(0, 0, 1) // a digest reports the days before the one it is sent on
		}
		if _, err := sched.Run(ctx, job, c, at); err != nil {
			t.Fatalf("%s: %v", job, err)
		}
	}
	if len(in.sent) == 0 {
		t.Fatal("the jobs sent nothing")
	}
	id := regexp.MustCompile(regexp.QuoteMeta(who.Key()) + `|\bzed\b`)
	if len(leftovers(dump(t, h.Redis), id)) == 0 {
		t.Fatal("the identity was never written")
	}

	if _, err := h.Store.ErasePerson(ctx, "operator:test", who); err != nil {
		t.Fatal(err)
	}
	if bad := leftovers(dump(t, h.Redis), id); len(bad) > 0 {
		t.Errorf("%s left %d keys or values behind:\n%s", who.Key(), len(bad), strings.Join(bad, "\n"))
	}
}

// TestEraseMemberReachesUnsentNotices: nudges and digests still waiting in
// the outbox (the platform was down) carry the person too.
func TestEraseMemberReachesUnsentNotices(t *testing.T) {
	h, sched, in := fullBot(t)
	ctx := context.Background()
	c := h.Community()
	who := console.Identity("zed")
	h.MustDo(h.Admin, "/roles grant coord coordinator")
	h.MustDo("coord", "/digest subscribe")
	h.MustDo("zed", "/business register Zedco")
	h.MustDo("zed", `/pledge add "Hire two" theme:local-hiring target:2 due:2026-11-28`)
	h.MustDo("zed", `/pledge progress 1 1 first`)
	in.down = true
	for _, job := range schedules.Jobs {
		at := h.Clock.Now()
		if job == schedules.JobDigest {
			at = at.AddDate(0, 0, 1) // a digest reports the days before the one it is sent on
		}
		if _, err := sched.Run(ctx, job, c, at); err != nil {
			t.Fatalf("%s: %v", job, err)
		}
	}
	id := regexp.MustCompile(regexp.QuoteMeta(who.Key()) + `|\bzed\b`)
	if len(leftovers(dump(t, h.Redis), regexp.MustCompile(`:outbox => \[.*"User":"zed"`))) == 0 {
		t.Fatal("no notice to the person is waiting in the outbox")
	}
	if _, err := h.Store.ErasePerson(ctx, "operator:test", who); err != nil {
		t.Fatal(err)
	}
	if bad := leftovers(dump(t, h.Redis), id); len(bad) > 0 {
		t.Errorf("%s left %d keys or values behind:\n%s", who.Key(), len(bad), strings.Join(bad, "\n"))
	}
	// The outbox still works: the channel's digest goes out.
	in.down = false
	if n, err := sched.Drain(ctx, c); err != nil || n != 1 {
		t.Fatalf("drain after the erasure: %d sent, %v", n, err)
	}
}
