package store

import (
	"errors"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

type redisErr string

func (e redisErr) Error() string { return string(e) }
func (redisErr) RedisError()     {}

// A server that cannot serve now (loading, failing over, busy with a
// script past its time limit) is unavailable, so late answers ask again;
// other Redis errors are internal.
func TestFailSortsRedisErrors(t *testing.T) {
	s := &Store{}
	for _, c := range []struct {
		msg         string
		unavailable bool
	}{
		{"BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.", true},
		{"LOADING Redis is loading the dataset in memory", true},
		{"READONLY You can't write against a read only replica.", true},
		{"BUSYGROUP Consumer Group name already exists", false},
		{"ERR wrong number of arguments", false},
	} {
		err := s.fail(redisErr(c.msg))
		if got := errors.Is(err, bot.ErrUnavailable); got != c.unavailable {
			t.Errorf("%q: unavailable %v, want %v (%v)", c.msg, got, c.unavailable, err)
		}
	}
}
