package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// rolesOnly is a Store whose only working method is Roles; the router needs
// nothing else.
type rolesOnly struct {
	Store
	roles map[string][]Role
}

func (r rolesOnly) Roles(_ context.Context, _ string, who Identity) ([]Role, error) {
	return r.roles[who.User], nil
}

func testBot() *Bot {
	st := rolesOnly{roles: map[string][]Role{"cora": {RoleCoordinator}, "cal": {RoleCouncil}}}
	b := New(Options{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Tenancy: NewTenancy([]Community{{ID: "town", Workspaces: []Workspace{{Console, "local"}},
			Admins: []Identity{{Console, "local", "root"}}}})})
	ok := func(ctx context.Context, c *Call) (Reply, error) { return Reply{Title: "ran " + c.Community}, nil }
	b.Register(&Command{Name: "t", Subs: []*Subcommand{
		{Name: "open", Run: ok},
		{Name: "coord", MinRole: RoleCoordinator, Run: ok},
		{Name: "admin", MinRole: RoleAdmin, Run: ok},
		{Name: "panic", Run: func(context.Context, *Call) (Reply, error) { panic("boom") }},
		{Name: "fail", Run: func(context.Context, *Call) (Reply, error) { return Reply{}, errors.New("redis: secret detail") }},
	}})
	return b
}

func TestRouterRoles(t *testing.T) {
	b := testBot()
	tests := []struct {
		user, sub string
		allowed   bool
	}{
		{"anyone", "open", true},
		{"anyone", "coord", false},
		{"cal", "coord", false},
		{"cora", "coord", true},
		{"cora", "admin", false},
		{"root", "admin", true},
		{"root", "coord", true},
	}
	for _, tt := range tests {
		r := b.Handle(context.Background(), Request{From: Identity{Console, "local", tt.user}, Command: "t", Text: tt.sub})
		if (r.Err == nil) != tt.allowed {
			t.Errorf("%s running %s: allowed=%v, want %v (%v)", tt.user, tt.sub, r.Err == nil, tt.allowed, r.Err)
		}
		if r.Err != nil && r.Err.Code != Forbidden {
			t.Errorf("%s running %s: code %s", tt.user, tt.sub, r.Err.Code)
		}
		if r.Err == nil && r.Title != "ran town" {
			t.Errorf("ran in the wrong community: %q", r.Title)
		}
	}
}

func TestRouterFailuresAreContained(t *testing.T) {
	b := testBot()
	from := Identity{Console, "local", "u"}
	for _, tc := range []struct {
		req  Request
		code Code
		want string
	}{
		{Request{From: from, Command: "t", Text: "panic"}, Internal, "Something went wrong"},
		{Request{From: from, Command: "t", Text: "fail"}, Internal, "Something went wrong"},
		{Request{From: from, Command: "nope"}, NotFound, "no /nope command"},
		{Request{From: from, Command: "t", Text: "nope"}, Invalid, "Try one of: admin, coord, fail, open, panic"},
		{Request{From: Identity{Console, "local", "a b"}, Command: "t", Text: "open"}, Invalid, "who you are"},
	} {
		r := b.Handle(context.Background(), tc.req)
		if r.Err == nil || r.Err.Code != tc.code || !strings.Contains(r.Err.Message, tc.want) {
			t.Errorf("%+v: got %+v, want %s containing %q", tc.req, r.Err, tc.code, tc.want)
		}
		if r.Err != nil && strings.Contains(r.Err.Message, "secret") {
			t.Errorf("internal detail leaked: %s", r.Err.Message)
		}
	}
	if r := b.Handle(context.Background(), Request{From: from, Command: "t"}); r.Err != nil || !strings.Contains(r.Text, "/t open") {
		t.Errorf("bare command should show its help: %+v", r)
	}
}

func TestTenancyDerivesUnmappedWorkspaces(t *testing.T) {
	tn := NewTenancy([]Community{{ID: "town", Workspaces: []Workspace{{Slack, "T1"}, {Discord, "G1"}}}})
	for _, tc := range []struct {
		p    Platform
		ws   string
		want string
	}{{Slack, "T1", "town"}, {Discord, "G1", "town"}, {Slack, "T2", "slack-T2"}} {
		if got := tn.Community(tc.p, tc.ws); got != tc.want {
			t.Errorf("%s/%s -> %s, want %s", tc.p, tc.ws, got, tc.want)
		}
	}
}

func TestTenancyNameFallsBackToID(t *testing.T) {
	tn := NewTenancy([]Community{{ID: "town", Name: "Town Business Network"}, {ID: "nameless"}})
	for id, want := range map[string]string{"town": "Town Business Network", "nameless": "nameless", "slack-T2": "slack-T2"} {
		if got := tn.Name(id); got != want {
			t.Errorf("Name(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestPlainTextRendersMentionsAndProgress(t *testing.T) {
	r := Reply{Title: "Hi " + Mention(Identity{Slack, "T1", "U9"}), Items: []Item{{Title: "#1 x", Progress: &Progress{Done: 1500, Target: 20000, Unit: "£"}}}}
	got := PlainText(r)
	for _, want := range []string{"Hi @U9", "8% (1,500 of £20,000)"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}
