package bot

import (
	"fmt"
	"time"
)

// Args are the typed values of one parsed command.
type Args struct {
	values map[string]any
}

// NewArgs returns empty Args.
func NewArgs() *Args { return &Args{values: map[string]any{}} }

// Set stores a typed value; parsers and adapters use it.
func (a *Args) Set(name string, v any) { a.values[name] = v }

// Has reports whether the option was given.
func (a *Args) Has(name string) bool {
	_, ok := a.values[name]
	return ok
}

// String returns a text, choice, user or date option as given.
func (a *Args) String(name string) string {
	switch v := a.values[name].(type) {
	case string:
		return v
	case time.Time:
		return v.Format(time.DateOnly)
	}
	return ""
}

// Number returns a number option.
func (a *Args) Number(name string) (float64, bool) {
	v, ok := a.values[name].(float64)
	return v, ok
}

// Delta is a Signed number typed with its sign: a change (+5, -5) rather
// than a value.
type Delta float64

// Delta returns a Signed number option typed as a change: +N as N, -N as
// -N. ok is false when the option was not given or was given as a value
// (then Number has it).
func (a *Args) Delta(name string) (float64, bool) {
	v, ok := a.values[name].(Delta)
	return float64(v), ok
}

// Int returns a reference option.
func (a *Args) Int(name string) int {
	v, _ := a.values[name].(int)
	return v
}

// placeDates turns the dates as typed into days, today being the
// community's (see TodayIn). Parsing alone cannot: "next friday" needs it.
func (a *Args) placeDates(today time.Time) error {
	for name, v := range a.values {
		if e, ok := v.(dateExpr); ok {
			t, err := e.on(today)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			a.values[name] = t
		}
	}
	return nil
}

// Date returns a date option, once the router has placed it (a zero time
// for a Clearable date given as "-").
func (a *Args) Date(name string) (time.Time, bool) {
	v, ok := a.values[name].(time.Time)
	return v, ok
}

// Names lists the options given, for edits that change only what was named.
func (a *Args) Names() []string {
	out := make([]string, 0, len(a.values))
	for k := range a.values {
		out = append(out, k)
	}
	return out
}
