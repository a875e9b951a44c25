package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/metrics"
	"github.com/pledgebot/pledgebot/schedules"
	"github.com/pledgebot/pledgebot/store"
	"github.com/pledgebot/pledgebot/supervise"
)

// app is everything a running bot needs, wired once for every subcommand.
type app struct {
	cfg   *config.Config
	log   *slog.Logger
	store *store.Opened
	bot   *bot.Bot
	ready readiness // what GET /readyz checks; see ready.go
	sched *schedules.Scheduler
	// migrated is false when a migration failed at start-up (Redis away,
	// say): serve tries them again until they pass, since scripts read
	// pledges by the short names a failed migration left long.
	migrated bool

	// backoff paces the transports' reconnections (supervise.DefaultBackoff
	// when zero); socketPing overrides how long Socket Mode waits for
	// Slack's ping. Tests shorten both.
	backoff    supervise.Backoff
	socketPing time.Duration
}

// openApp loads the store and builds the bot. consoleAdmin, when set, is
// made admin of the console's community.
func openApp(ctx context.Context, cfg *config.Config, stderr io.Writer, defaultLevel slog.Level, consoleAdmin *bot.Identity) (*app, error) {
	logger := newLogger(cfg.Log, stderr, defaultLevel)
	st, err := store.Open(ctx, storeOptions(cfg.Redis))
	if err != nil {
		return nil, err
	}
	if st.Embedded {
		fmt.Fprintln(stderr, "Using the embedded in-memory store: nothing will be kept after this process exits. Set REDIS_URL to keep your data.")
	} else if w := persistenceWarning(ctx, st.Client()); w != "" {
		logger.Warn(w)
	}
	st.Client().AddHook(metrics.RedisHook{})
	st.SetZones(cfg.Schedules.Zones())
	b := bot.New(bot.Options{Store: st, Tenancy: cfg.Tenancy(consoleAdmin), Themes: cfg.Themes, Logger: logger,
		Zone: cfg.Schedules.Zones(), Observe: metrics.Command, ObserveSend: metrics.Delivery,
		Reports: bot.ReportConfig{BaseURL: cfg.Reports.BaseURL, Secret: cfg.Reports.Secret}})
	sched, err := schedules.New(schedules.Options{Store: st.Store, Bot: b, Config: cfg.Schedules, Log: logger})
	if err != nil {
		st.Close()
		return nil, err
	}
	b.Register(commands.All(b, sched)...)
	a := &app{cfg: cfg, log: logger, store: st, bot: b, sched: sched, migrated: true}
	if !st.Embedded {
		a.migrated = a.migrate(ctx)
	}
	return a, nil
}

// migrate brings data written by earlier releases up to date, once per
// community (see store.MigratePeople, store.MigrateCommunityBuckets, store.MigrateMembers, store.MigrateShortNames, store.MigratePersons, store.MigratePacked, store.MigrateUpdated, store.MigrateIndexBuckets, store.MigrateNameKey, store.MigrateAudit, store.MigrateMeasures,
// store.MigrateFigures, store.MigrateVouched, store.MigrateRateSums, store.MigrateRateBusinesses, store.MigrateNeedsMet, store.MigrateMonthBits and store.MigrateBareNotes). A failure is logged, not fatal: serve
// tries again (remigrate), and so does the next start. It reports whether
// every migration passed.
func (a *app) migrate(ctx context.Context) bool {
	ok := true
	if n, err := a.store.MigratePeople(ctx); err != nil {
		ok = false
		a.log.Warn("migration failed; it will be tried again", "migration", "people", "err", err)
	} else if n > 0 {
		a.log.Info("migrated: each person now has an index of the communities they appear in", "entries", n)
	}
	if n, err := a.store.MigrateCommunityBuckets(ctx); err != nil {
		ok = false
		a.log.Warn("migration failed; it will be tried again", "migration", "communities-buckets", "err", err)
	} else if n > 0 {
		a.log.Info("migrated: people's indexes of communities now share 256 bucket hashes", "entries", n)
	}
	cs, err := a.store.Communities(ctx)
	if err != nil {
		a.log.Warn("migration skipped: cannot list communities", "err", err)
		return false
	}
	for _, c := range cs {
		var rates []string
		for _, t := range a.bot.Themes(c) {
			if t.IsRate() {
				rates = append(rates, t.Key)
			}
		}
		// First: every script reads businesses' people as fields of their
		// hash, and pledges by their short field names.
		if n, err := a.store.MigrateMembers(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
			continue
		} else if n > 0 {
			a.log.Info("moved businesses' members into their hashes", "community", c, "businesses", n)
		}
		if n, err := a.store.MigrateShortNames(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
			continue
		} else if n > 0 {
			a.log.Info("migrated pledges to short field names", "community", c, "pledges", n)
		}
		if n, err := a.store.MigratePersons(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if n > 0 {
			a.log.Info("numbered the people who made pledges", "community", c, "pledges", n)
		}
		// (Scripts pack a pledge hash they meet; this packs them all at once.)
		if n, err := a.store.MigratePacked(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if n > 0 {
			a.log.Info("packed pledges into bucket hashes", "community", c, "pledges", n)
		}
		if n, err := a.store.MigrateUpdated(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if n > 0 {
			a.log.Info("moved the index of pledges' last changes into buckets", "community", c, "pledges", n)
		}
		if n, err := a.store.MigrateIndexBuckets(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if n > 0 {
			a.log.Info("moved the due-date and business-activity indexes into buckets", "community", c, "entries", n)
		}
		if n, err := a.store.MigrateNameKey(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if n > 0 {
			a.log.Info("dropped businesses' copies of their name keys", "community", c, "businesses", n)
		}
		if err := a.store.MigrateAudit(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		}
		n, err := a.store.MigrateMeasures(ctx, c, rates)
		if err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
			continue
		} else if n > 0 {
			a.log.Info("migrated rate pledges: progress is now their latest report", "community", c, "pledges", n)
		}
		// After the measures: the rebuild reads each pledge's measure.
		if ran, err := a.store.MigrateFigures(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if ran {
			a.log.Info("migrated the figures to the ledger and monthly sums", "community", c)
		}
		if ran, err := a.store.MigrateVouched(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if ran {
			a.log.Info("rebuilt the figures: delivered amounts are split by who vouches for them", "community", c)
		}
		if ran, err := a.store.MigrateRateSums(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if ran {
			a.log.Info("rebuilt the figures: rate themes are counted in the sums", "community", c)
		}
		if ran, err := a.store.MigrateRateBusinesses(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if ran {
			a.log.Info("rebuilt the figures: rate themes count each business once", "community", c)
		}
		// After the figures: it reads the pledges' ledger entries.
		if n, err := a.store.MigrateNeedsMet(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if n > 0 {
			a.log.Info("dated the needs met before met_at was kept", "community", c, "needs", n)
		}
		// After the figures: a rebuild drops the old keys and writes the
		// new fields itself.
		if n, err := a.store.MigrateMonthBits(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if n > 0 {
			a.log.Info("moved the months' business bits into their sums", "community", c, "months", n)
		}
		if n, err := a.store.MigrateBareNotes(ctx, c); err != nil {
			ok = false
			a.log.Warn("migration failed; it will be tried again", "community", c, "err", err)
		} else if n > 0 {
			a.log.Info("rewrote the ledger's notes without their JSON", "community", c, "entries", n)
		}
	}
	return ok
}

// remigrate runs the migrations again every retry until they all pass:
// a replica that started while Redis was away must not serve old pledges
// as missing until someone restarts it.
func (a *app) remigrate(retry time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		for !a.migrated {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(retry):
			}
			if a.migrate(ctx) {
				a.migrated = true
				a.log.Info("migrations passed on a later try")
			}
		}
		return nil
	}
}

func (a *app) Close() { a.store.Close() }

// openTool opens the app for a maintenance command from its --config.
// One that acts on stored data (onData) refuses the embedded store: a
// fresh in-memory store would let it report success on nothing.
func openTool(ctx context.Context, cmd, cfgPath string, stderr io.Writer, onData bool) (*app, error) {
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return nil, err
	}
	a, err := openApp(ctx, cfg, stderr, slog.LevelWarn, nil)
	if err != nil {
		return nil, err
	}
	if onData && a.store.Embedded {
		a.Close()
		return nil, fmt.Errorf("%s needs REDIS_URL or redis settings (the same --config as serve): the embedded store is empty", cmd)
	}
	return a, nil
}

func newLogger(c config.Log, w io.Writer, def slog.Level) *slog.Logger {
	level := def
	if c.Level != "" {
		level.UnmarshalText([]byte(c.Level))
	}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: readableDurations}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// readableDurations writes durations as "1.5ms" in both formats; JSON
// would otherwise print bare nanoseconds.
func readableDurations(groups []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}

func storeOptions(r config.Redis) store.Options {
	o := store.Options{URL: r.URL, ClusterURL: r.ClusterURL, Prefix: r.Prefix}
	if s := r.Sentinel; s != nil {
		o.Sentinel = &store.Sentinel{MasterName: s.MasterName, Addrs: s.Addrs, Password: s.Password, DB: s.DB}
	}
	return o
}
