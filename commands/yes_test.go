package commands

import (
	"testing"
)

// TestYesConfirmsOnlyQuestions: "yes" stands for the word confirm, never for
// another one-word choice; /pledge confirm-link 7 yes must not revoke links.
func TestYesConfirmsOnlyQuestions(t *testing.T) {
	cases := []struct {
		sub, line, opt, want string
		ok                   bool
	}{
		{"withdraw", "7 yes", "confirm", "confirm", true},
		{"withdraw", "7 confirm", "confirm", "confirm", true},
		{"confirm-link", "7 revoke", "revoke", "revoke", true},
		{"confirm-link", "7 yes", "revoke", "", false},
		{"list", "mine", "mine", "mine", true},
		{"list", "yes", "mine", "", false},
	}
	cmd := Pledge()
	for _, c := range cases {
		args, err := cmd.Parse(cmd.Sub(c.sub), c.line, nil)
		if !c.ok {
			if err == nil && args.String(c.opt) != "" {
				t.Errorf("/pledge %s %s: read %s=%q, want it refused", c.sub, c.line, c.opt, args.String(c.opt))
			}
			continue
		}
		if err != nil {
			t.Errorf("/pledge %s %s: %v", c.sub, c.line, err)
			continue
		}
		if got := args.String(c.opt); got != c.want {
			t.Errorf("/pledge %s %s: %s=%q, want %q", c.sub, c.line, c.opt, got, c.want)
		}
	}
}
