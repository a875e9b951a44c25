package bot

import (
	"errors"
	"fmt"
)

// Code classifies an application error so each adapter can say "no" in its
// platform's own way without parsing messages.
type Code string

const (
	Invalid     Code = "invalid"
	NotFound    Code = "not_found"
	Forbidden   Code = "forbidden"
	Conflict    Code = "conflict"
	Unavailable Code = "unavailable"
	Internal    Code = "internal"
)

// Error is an error fit to show a user. Anything that is not an *Error is
// treated as internal: logged, never shown.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds a user-facing error.
func Errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, Internal for unknown errors.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the text a user may see for err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side; nothing was changed. Please try again, and tell your admin if it keeps happening."
}

// ErrUnavailable is what the store returns when Redis cannot be reached.
var ErrUnavailable = &Error{Code: Unavailable, Message: "Pledgebot can't reach its database right now, so nothing was saved. Please try again in a minute."}

// ErrHeld is what a Sender's error wraps when the recipient cannot be
// reached for now through no fault of the notice (the workspace removed
// the app): the outbox keeps the notice, without counting a failed send,
// and sends it once the recipient can be reached again.
var ErrHeld = errHeld{}

type errHeld struct{}

func (errHeld) Error() string { return "held until the recipient's workspace can be reached again" }
