package bot

import "fmt"

// StoreError is a refusal from the store: what went wrong (Kind, named for
// its meaning, e.g. "pledge_not_found") and the numbers or names it is
// about (Args), with the Code adapters act on. The store writes no words
// for people; StoreText gives them, so all of them live in the core
// (storetext.go) and none of the store's strings name a command.
type StoreError struct {
	Code Code
	Kind string
	Args []any
}

// StoreErr builds the store's coded refusal.
func StoreErr(code Code, kind string, args ...any) error {
	return &StoreError{Code: code, Kind: kind, Args: args}
}

// Error is the words a person sees for it.
func (e *StoreError) Error() string { return StoreText(e.Kind, e.Args...) }

// As lets errors.As find a *Error in a StoreError, worded, so that
// ErrorCode, ErrorMessage and every reply made from an *Error word store
// refusals without knowing about them.
func (e *StoreError) As(target any) bool {
	t, ok := target.(**Error)
	if ok {
		*t = &Error{Code: e.Code, Message: e.Error()}
	}
	return ok
}

// StoreText words a kind of store refusal with its arguments. A kind
// without words (a store change that forgot storetext.go, which
// TestStoreWording catches) gets the generic apology rather than a code.
func StoreText(kind string, args ...any) string {
	format, ok := storeText[kind]
	if !ok {
		return ErrorMessage(nil)
	}
	return fmt.Sprintf(format, args...)
}

// StoreKinds lists the kinds StoreText words (for tests).
func StoreKinds() []string {
	out := make([]string, 0, len(storeText))
	for k := range storeText {
		out = append(out, k)
	}
	return out
}
