package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/robfig/cron/v3"
)

// Validate reports every schedule setting the scheduler would refuse, each
// naming its field; unset settings take their defaults first. Config's
// Validate and the scheduler (package schedules) both call it, so a file
// Load accepts always starts its jobs.
func (s Schedules) Validate() error {
	var errs []error
	s.check(func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	})
	return errors.Join(errs...)
}

func (s Schedules) check(bad func(field, format string, args ...any)) {
	s = s.WithDefaults()
	if _, err := time.LoadLocation(s.Timezone); err != nil {
		bad("schedules.timezone", "%q is not a known time zone (e.g. Europe/London)", s.Timezone)
	}
	communities := make([]string, 0, len(s.Timezones))
	for c := range s.Timezones {
		communities = append(communities, c)
	}
	slices.Sort(communities)
	for _, c := range communities {
		if !bot.ValidUser(c) {
			bad("schedules.timezones", "%q is not a community id", c)
			continue
		}
		if tz := s.Timezones[c]; !validZone(tz) {
			bad("schedules.timezones."+c, "%q is not a known time zone (e.g. Europe/London)", tz)
		}
	}
	for _, job := range []struct{ name, spec string }{{"digest", s.Digest}, {"nudges", s.Nudges}, {"lapse", s.Lapse}, {"needs", s.Needs}} {
		if !ValidCronSpec(job.spec) {
			bad("schedules."+job.name, "%q is not a five-field cron spec (e.g. \"0 9 * * MON\")", job.spec)
		}
	}
	from, errFrom := ClockMinutes(s.Nudge.From)
	if errFrom != nil {
		bad("schedules.nudge.from", "%v", errFrom)
	}
	until, errUntil := ClockMinutes(s.Nudge.Until)
	if errUntil != nil {
		bad("schedules.nudge.until", "%v", errUntil)
	}
	if errFrom == nil && errUntil == nil && until <= from {
		bad("schedules.nudge.until", "%q must be after schedules.nudge.from (%q)", s.Nudge.Until, s.Nudge.From)
	}
	for _, n := range []struct {
		field    string
		v, most  int
		unitName string
	}{
		{"schedules.lapse_grace_days", s.LapseGraceDays, 366, "days"},
		{"schedules.quiet_weeks", s.QuietWeeks, 52, "weeks"},
		{"schedules.nudge.due_soon_days", s.Nudge.DueSoonDays, 366, "days"},
		{"schedules.nudge.due_tomorrow_days", s.Nudge.DueTomorrowDays, 366, "days"},
		{"schedules.nudge.stale_days", s.Nudge.StaleDays, 366, "days"},
	} {
		if n.v < 0 || n.v > n.most {
			bad(n.field, "must be from 0 to %d %s, not %d", n.most, n.unitName, n.v)
		}
	}
}

// validZone reports whether tz names a time zone the scheduler can put in
// CRON_TZ.
func validZone(tz string) bool {
	if _, err := time.LoadLocation(tz); err != nil {
		return false
	}
	return !strings.ContainsAny(tz, " \t")
}

// ValidCronSpec reports whether spec is a standard five-field cron spec
// (or a descriptor such as @daily) without a time zone of its own: the
// scheduler adds each community's zone.
func ValidCronSpec(spec string) bool {
	// Five fields only: a descriptor such as "@every 0s" would run a job
	// every second, and time zones come from the schedules' own setting.
	if len(strings.Fields(spec)) != 5 {
		return false
	}
	_, err := cron.ParseStandard(spec)
	return err == nil
}

// ClockMinutes reads "HH:MM" as minutes after midnight.
func ClockMinutes(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q: want HH:MM, e.g. 09:00", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Zones returns each community's time zone (its schedules.timezones entry,
// else schedules.timezone), in which the bot reads the dates people type;
// it is what the scheduler runs jobs in, so "tomorrow" and a nudge's day
// agree. Zones it cannot load (Validate refuses them) read as UTC.
func (s Schedules) Zones() func(community string) *time.Location {
	s = s.WithDefaults()
	load := func(tz string) *time.Location {
		l, err := time.LoadLocation(tz)
		if err != nil {
			return time.UTC
		}
		return l
	}
	def, locs := load(s.Timezone), map[string]*time.Location{}
	for c, tz := range s.Timezones {
		locs[c] = load(tz)
	}
	return func(community string) *time.Location {
		if l, ok := locs[community]; ok {
			return l
		}
		return def
	}
}
