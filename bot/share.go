package bot

// The range of a share (IsShare): a percentage of a whole, so no business
// pays the Living Wage to 150% of its staff, nor to -1%.
const (
	ShareMin = 0
	ShareMax = 100
)

// IsShare reports whether the theme counts a share in percent: a rate
// whose unit is a percentage ("% staff on the real Living Wage"), so its
// targets and reported values lie from 0 to 100. A total counted in
// percent, or a rate in another unit, has no such bound.
func (t Theme) IsShare() bool {
	f, ok := familyOf(t.Unit)
	return t.IsRate() && ok && f.Percent
}

// InShareRange reports whether v could be a share. A command that must read
// a pledge to learn its theme reads it only for a value outside the range:
// inside it, no theme refuses the value.
func InShareRange(v float64) bool { return v >= ShareMin && v <= ShareMax }

// CheckShare is the one rule for shares: it refuses a target or reported
// value v, in theme t's unit, outside 0 to 100 when t IsShare. what is the
// value as the person gave it ("target:150", "120"), for the refusal to
// name. Every command that sets a target or a value (add, edit, progress,
// correct) asks it before the store, which receives checked input.
func CheckShare(t Theme, v float64, what string) error {
	if !t.IsShare() || InShareRange(v) {
		return nil
	}
	return Errorf(Invalid, "%s is a share (%s), so %s can't be used: give a percentage from %d to %d.",
		t.Key, t.Unit, what, ShareMin, ShareMax)
}
