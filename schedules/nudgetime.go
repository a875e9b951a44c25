package schedules

import (
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/robfig/cron/v3"
)

// tickEvery is how often Start looks for people whose own nudge time has
// come: a nudge arrives at most this late.
const tickEvery = 5 * time.Minute

// ownWindow is how long after a person's own time their nudge may still go
// out (replicas down, a missed tick), within their local day.
const ownWindow = 8 * time.Hour

// zone loads a time zone by name once; "" or an unknown name is the
// community's.
func (s *Scheduler) zone(c, name string) *time.Location {
	if name == "" {
		return s.Location(c)
	}
	if l, ok := s.zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return s.Location(c)
	}
	s.zones.Store(name, l)
	return l
}

// due says a person's local time now and whether their nudge is due: on
// the community's time (no own clock or zone) when this is a community
// sweep; on their own, when their slot today has come and its window is
// still open.
func (s *Scheduler) due(c, when string, at time.Time, community bool) (time.Time, bool) {
	clock, zone, _ := strings.Cut(when, "|")
	loc := s.zone(c, zone)
	local := at.In(loc)
	if clock == "" && zone == "" {
		return local, community
	}
	slot, ok := s.slot(c, clock, zone, local)
	if !ok {
		return local, false
	}
	end := slot.Add(ownWindow)
	if y, m, d := slot.Date(); end.After(time.Date(y, m, d+1, 0, 0, 0, 0, loc)) {
		end = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	return local, !at.Before(slot) && at.Before(end)
}

// slot is a person's nudge time on the local date of local: their own
// clock on a nudge day (weekdays unless schedules.nudge.weekends), or, with
// only a zone of their own, the community's nudge schedule read in it.
// Times a clock change skips (01:30 on the spring Sunday) come an hour
// later; a time that happens twice (autumn) is taken once, as time.Date
// resolves it, and the person's day mark would keep a second from sending.
func (s *Scheduler) slot(c, clock, zone string, local time.Time) (time.Time, bool) {
	y, m, d := local.Date()
	loc := local.Location()
	if clock == "" {
		sched, err := cron.ParseStandard("CRON_TZ=" + zone + " " + s.specs[JobNudges])
		if err != nil {
			return time.Time{}, false
		}
		next := sched.Next(time.Date(y, m, d, 0, 0, 0, 0, loc).Add(-time.Nanosecond))
		ny, nm, nd := next.In(loc).Date()
		return next, ny == y && nm == m && nd == d
	}
	if wd := local.Weekday(); !s.cfg.Nudge.Weekends && (wd == time.Saturday || wd == time.Sunday) {
		return time.Time{}, false
	}
	mins, err := config.ClockMinutes(clock)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(y, m, d, mins/60, mins%60, 0, 0, loc), true
}

// nextSlot is when a person's next nudge may go out after now.
func (s *Scheduler) nextSlot(c, when string, now time.Time) time.Time {
	clock, zone, _ := strings.Cut(when, "|")
	if clock == "" && zone == "" {
		sched, err := s.Schedule(JobNudges, c)
		if err != nil {
			return time.Time{}
		}
		at := sched.Next(now)
		for i := 0; i < 14 && s.quietTime(at.In(s.Location(c))) != ""; i++ {
			at = sched.Next(at)
		}
		return at
	}
	local := now.In(s.zone(c, zone))
	for i := 0; i < 15; i++ {
		y, m, d := local.Date()
		day := time.Date(y, m, d+i, 12, 0, 0, 0, local.Location())
		if slot, ok := s.slot(c, clock, zone, day); ok && slot.After(now) {
			return slot
		}
	}
	return time.Time{}
}
