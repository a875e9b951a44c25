package schedules

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
)

var london = mustLoc("Europe/London")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// local reads "2006-01-02 15:04" as London wall time.
func local(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, london)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// recorder is a console Sender that keeps what it is given and can fail.
type recorder struct {
	mu   sync.Mutex
	sent []bot.Notice
	fail func(n bot.Notice) error
}

func (r *recorder) Send(_ context.Context, n bot.Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(n); err != nil {
			return err
		}
	}
	r.sent = append(r.sent, n)
	return nil
}

// take returns and forgets what was sent.
func (r *recorder) take() []bot.Notice {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sent
	r.sent = nil
	return out
}

func titles(ns []bot.Notice) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Reply.Title)
	}
	return out
}

type env struct {
	*pledgetest.Harness
	sched *Scheduler
	rec   *recorder
	cfg   config.Schedules
}

func setup(t *testing.T, cfg config.Schedules) *env {
	t.Helper()
	h := pledgetest.New(t)
	e := &env{Harness: h, rec: &recorder{}, cfg: cfg}
	h.Bot.AddSender(bot.Console, e.rec)
	e.sched = e.newSched(t, "replica-1")
	h.Bot.Register(commands.Nudges(e.sched), commands.Digest(e.sched.Preview))
	return e
}

// newSched is another replica (or a restart) on the same Redis and bot.
func (e *env) newSched(t *testing.T, consumer string) *Scheduler {
	t.Helper()
	s, err := New(Options{Store: e.Store, Bot: e.Bot, Config: e.cfg, Now: e.Clock.Now, Consumer: consumer, Log: slog.New(slog.DiscardHandler),
		Sleep: func(context.Context, time.Duration) error { return errors.New("unexpected sleep") }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// run runs a job now (the fake clock's time) and fails the test on error.
func (e *env) run(t *testing.T, job string) Result {
	t.Helper()
	r, err := e.sched.Run(context.Background(), job, e.Community(), e.Clock.Now())
	if err != nil {
		t.Fatalf("%s: %v", job, err)
	}
	return r
}

// subscribeDigest makes "coord" a coordinator who subscribes the console
// channel to the weekly digest.
func (e *env) subscribeDigest(t *testing.T) {
	t.Helper()
	coordinator := bot.Identity{Platform: bot.Console, Workspace: "local", User: "coord"}
	e.Redis.SAdd(context.Background(), e.Prefix+":{"+e.Community()+"}:role:coordinator", coordinator.Key())
	e.MustDo("coord", "/digest subscribe")
}

// at moves the fake clock to a London wall time.
func (e *env) at(t *testing.T, s string) { e.Clock.Set(local(t, s)) }

func wantTitles(t *testing.T, got []bot.Notice, want ...string) {
	t.Helper()
	g := titles(got)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Fatalf("sent:\n  %s\nwant:\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
}
