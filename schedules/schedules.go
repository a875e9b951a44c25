// Package schedules runs the bot's own jobs: nudges to pledge owners, the
// weekly digest to subscribed channels, the lapse check, and the weekly
// "needs near you" message to businesses' people who opted in. Each job is a
// function of (community, time) with the clock injected, so tests and
// `pledgebot run-job --at` can run it as if at any moment.
//
// Exactly once across replicas: a job decides what to send, then records
// its run key (job, community, period) and one key per notice with SET NX
// EX, and puts the notices that won into a Redis Stream outbox, all in one
// Lua script. Senders read the outbox through a consumer group; entries a
// crashed sender left pending are re-read by the same consumer after a
// restart, or taken over with XAUTOCLAIM by another replica.
package schedules

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/store"
)

// Job names, as `pledgebot run-job` takes them.
const (
	JobNudges = "nudges"
	JobDigest = "digest"
	JobLapse  = "lapse"
	JobNeeds  = "needs"
)

// Jobs lists the job names.
var Jobs = []string{JobNudges, JobDigest, JobLapse, JobNeeds}

// Job is one scheduled job for one community, run as if at a time.
type Job func(ctx context.Context, community string, at time.Time) error

// DecisionSource is what the digest needs from the s172 store: the titles
// of decisions logged in a period that may be shared, and how many others
// (confidential) there were. The Store serves it unless Options.Decisions
// names another.
type DecisionSource interface {
	S172Decisions(ctx context.Context, community string, from, to time.Time) (shareable []string, confidential int, err error)
}

// Options configure a Scheduler.
type Options struct {
	Store  Store
	Bot    *bot.Bot
	Config config.Schedules // zero values take their defaults
	Now    func() time.Time
	Log    *slog.Logger
	// Consumer names this process in the outbox's consumer group; unique
	// per replica (default host-pid).
	Consumer string
	// ClaimIdle is how long an entry must sit unacknowledged in another
	// consumer's hands before this one takes it over (default 5 minutes:
	// longer than any send, rate-limit waits included, may take).
	ClaimIdle time.Duration
	// MaxAttempts failed sends move a notice to outbox-dead (default 20:
	// about ten minutes of the serving drain's retries, every 30 s).
	MaxAttempts int
	// Sleep waits out a rate limit; tests replace it so they never sleep.
	Sleep func(ctx context.Context, d time.Duration) error
	// Decisions overrides the s172 source found on Store.
	Decisions DecisionSource
}

// Scheduler runs the jobs.
type Scheduler struct {
	st          Store
	bot         *bot.Bot
	cfg         config.Schedules
	now         func() time.Time
	log         *slog.Logger
	consumer    string
	claimIdle   time.Duration
	maxAttempts int
	sleep       func(ctx context.Context, d time.Duration) error
	decisions   DecisionSource

	def      *time.Location
	locs     map[string]*time.Location
	from, to int // nudge hours, minutes after local midnight
	specs    map[string]string

	zones sync.Map // time zone name -> *time.Location (people's own)

	// draining keeps to one drain per community inside this process: two at
	// once under one consumer name would both see its pending entries.
	draining sync.Map // community -> *sync.Mutex

	// crashBeforeSend makes Drain stop after reading entries and before
	// sending them, as a process killed at that point would (tests).
	crashBeforeSend bool
}

// New checks the configuration and builds a scheduler.
func New(o Options) (*Scheduler, error) {
	cfg := o.Config.WithDefaults()
	s := &Scheduler{st: o.Store, bot: o.Bot, cfg: cfg, now: o.Now, log: o.Log, consumer: o.Consumer,
		claimIdle: o.ClaimIdle, maxAttempts: o.MaxAttempts, sleep: o.Sleep, decisions: o.Decisions,
		locs:  map[string]*time.Location{},
		specs: map[string]string{JobNudges: cfg.Nudges, JobDigest: cfg.Digest, JobLapse: cfg.Lapse, JobNeeds: cfg.Needs}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.consumer == "" {
		host, _ := os.Hostname()
		s.consumer = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if s.claimIdle <= 0 {
		s.claimIdle = 5 * time.Minute
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = 20
	}
	if s.sleep == nil {
		s.sleep = sleepCtx
	}
	if s.decisions == nil && o.Store != nil {
		s.decisions = o.Store
	}
	// config.Schedules.Validate is the one check of these settings; Load
	// has run it already for a configuration file, so what follows only
	// reads values it accepted.
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s.def, _ = time.LoadLocation(cfg.Timezone)
	for c, tz := range cfg.Timezones {
		s.locs[c], _ = time.LoadLocation(tz)
	}
	s.from, _ = config.ClockMinutes(cfg.Nudge.From)
	s.to, _ = config.ClockMinutes(cfg.Nudge.Until)
	return s, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Location is a community's time zone.
func (s *Scheduler) Location(community string) *time.Location {
	if l, ok := s.locs[community]; ok {
		return l
	}
	return s.def
}

func (s *Scheduler) tzName(community string) string {
	if tz, ok := s.cfg.Timezones[community]; ok {
		return tz
	}
	return s.cfg.Timezone
}

// Job returns a job by name.
func (s *Scheduler) Job(name string) (Job, bool) {
	switch name {
	case JobNudges:
		return s.Nudges, true
	case JobDigest:
		return s.Digest, true
	case JobLapse:
		return s.Lapse, true
	case JobNeeds:
		return s.NeedsNearYou, true
	}
	return nil, false
}

// Communities lists every community the jobs visit: those configured and
// those the store has seen.
func (s *Scheduler) Communities(ctx context.Context) ([]string, error) {
	cs, err := s.st.Communities(ctx)
	if err != nil {
		return nil, err
	}
	if s.bot != nil {
		for _, c := range s.bot.Tenancy().Communities() {
			cs = append(cs, c.ID)
		}
	}
	for c := range s.cfg.Timezones {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return slices.Compact(cs), nil
}

// Result says what one run of a job did.
type Result struct {
	Job, Community string
	At             time.Time
	Skipped        string // why the job did nothing ("already ran", "weekend"...)
	Enqueued       int    // notices decided and put in the outbox
	Sent           int    // notices delivered by this process's drain
	Lapsed         int
}

func (r Result) String() string {
	s := fmt.Sprintf("%s %s at %s:", r.Job, r.Community, r.At.Format(time.RFC3339))
	if r.Skipped != "" {
		s += " skipped (" + r.Skipped + ")"
	}
	if r.Job == JobLapse {
		s += " " + strconv.Itoa(r.Lapsed) + " lapsed"
	} else {
		s += fmt.Sprintf(" %d enqueued", r.Enqueued)
	}
	return s + fmt.Sprintf(", %d sent", r.Sent)
}

// Run runs one job for one community as if at a time, then sends what is
// waiting in the community's outbox. The exactly-once rules are the same
// whoever calls it: cron, catch-up, or `pledgebot run-job`.
func (s *Scheduler) Run(ctx context.Context, job, community string, at time.Time) (Result, error) {
	r := Result{Job: job, Community: community, At: at}
	var err error
	switch job {
	case JobNudges:
		err = s.nudges(ctx, community, at, &r)
	case JobDigest:
		err = s.digest(ctx, community, at, &r)
	case JobLapse:
		err = s.lapse(ctx, community, at, &r)
	case JobNeeds:
		err = s.needs(ctx, community, at, &r)
	default:
		return r, fmt.Errorf("unknown job %q: want one of %s", job, strings.Join(Jobs, ", "))
	}
	if errors.Is(err, store.ErrRunDone) {
		r.Skipped, err = "already ran for this period", nil
	}
	if err != nil {
		return r, err
	}
	r.Sent, err = s.Drain(ctx, community)
	return r, err
}

// Nudges is the nudge sweep as a Job.
func (s *Scheduler) Nudges(ctx context.Context, community string, at time.Time) error {
	return ignoreDone(s.nudges(ctx, community, at, &Result{}))
}

// Digest is the weekly digest as a Job.
func (s *Scheduler) Digest(ctx context.Context, community string, at time.Time) error {
	return ignoreDone(s.digest(ctx, community, at, &Result{}))
}

// Lapse is the lapse check as a Job.
func (s *Scheduler) Lapse(ctx context.Context, community string, at time.Time) error {
	return ignoreDone(s.lapse(ctx, community, at, &Result{}))
}

// NeedsNearYou is the weekly "needs near you" message as a Job.
func (s *Scheduler) NeedsNearYou(ctx context.Context, community string, at time.Time) error {
	return ignoreDone(s.needs(ctx, community, at, &Result{}))
}

func ignoreDone(err error) error {
	if errors.Is(err, store.ErrRunDone) {
		return nil
	}
	return err
}

// day is a local date as the store keeps due dates: midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// period keys: one run per local date, or per ISO week for the digest.
func datePeriod(job string, local time.Time) string { return job + ":" + local.Format(time.DateOnly) }

func weekPeriod(job string, local time.Time) string {
	y, w := local.ISOWeek()
	return fmt.Sprintf("%s:%d-W%02d", job, y, w)
}

const (
	runTTL    = 40 * 24 * time.Hour
	noticeTTL = 60 * 24 * time.Hour
)
