package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// The kinds of person every command is run as: business people first,
// then the community roles, weakest first, then a community partner's.
var people = []string{"outsider", "member", "owner", "council", "coordinator", "admin", "partner-member", "partner-owner"}

// permissionFixture: business #1 Acme (owner "owner", members "member" and
// "staff") with
// public pledge #1 and private pledge #2 (#3 private and #4 public, with
// progress, are made to partner #1 Food Bank; need #1 is Food Bank's); business #2 Other owned by
// "outsider"; "council" and "coordinator" granted; "admin" from config.
func permissionFixture(t *testing.T) *pledgetest.Harness {
	h := pledgetest.New(t)
	h.MustDo("owner", "/business register Acme postcode:CB1")
	h.MustDo("owner", "/business add-member member")
	h.MustDo("owner", "/business add-member staff")
	h.MustDo("owner", `/pledge add "Hire two" theme:apprenticeships target:2`)
	h.MustDo("owner", `/pledge add "Private plan" theme:volunteering target:10 visibility:private`)
	h.MustDo("owner", `/s172 log "Board-only decision" b:"staff consulted" outcome:"agreed"`)
	h.MustDo("owner", `/s172 log "Shared decision" b:"staff consulted" outcome:"agreed" confidentiality:shareable`)
	h.MustDo("owner", "/s172 stakeholders add investors")
	h.MustDo("outsider", "/business register Other")
	h.MustDo(h.Admin, "/roles grant council council")
	h.MustDo(h.Admin, "/roles grant coordinator coordinator")
	h.MustDo("partner-owner", "/partner register Food Bank area:CB1 about:feeds the town")
	h.MustDo("partner-owner", "/partner add-member partner-member")
	h.MustDo("partner-owner", "/partner add-member co-owner role:partner-owner")
	h.MustDo("owner", `/pledge add "For the food bank" theme:volunteering target:5 visibility:private partner:Food Bank`)
	h.MustDo("owner", `/pledge add "Public hours for the food bank" theme:volunteering target:5 partner:Food Bank`)
	h.MustDo("member", "/pledge progress 4 2")
	h.MustDo("partner-owner", "/need post Tins for the shelves theme:sponsorship target:500")
	return h
}

type permCase struct {
	line    string
	allowed []string // everyone else must be refused
	refusal bot.Code // how the others are refused (Forbidden unless said)
}

func all() []string { return people }

var permCases = []permCase{
	{line: "/business register New Co", allowed: all()},
	{line: "/business show 1", allowed: all()},
	{line: "/business list", allowed: all()},
	{line: "/business edit form:company size:small business:1", allowed: []string{"owner", "admin"}},
	{line: "/business add-member dave business:1", allowed: []string{"owner", "admin"}},
	{line: "/business remove-member staff business:1", allowed: []string{"owner", "admin"}},
	{line: "/business remove-member member business:1", allowed: []string{"member", "owner", "admin"}}, // anyone may leave
	{line: `/pledge add "More" theme:carbon business:1`, allowed: []string{"member", "owner", "admin"}},
	{line: "/pledge list", allowed: all()},
	{line: "/pledge show 1", allowed: all()},
	{line: "/pledge show 2", allowed: []string{"member", "owner", "admin"}, refusal: bot.NotFound},
	{line: "/pledge progress 1 1", allowed: []string{"member", "owner", "admin"}},
	{line: "/pledge done 1", allowed: []string{"member", "owner", "admin"}},
	{line: "/pledge edit 1 target:3", allowed: []string{"member", "owner", "admin"}},
	{line: "/pledge withdraw 1 confirm", allowed: []string{"member", "owner", "admin"}},
	{line: "/business export 1", allowed: []string{"owner", "admin"}},
	{line: "/business delete 1 confirm", allowed: []string{"owner", "admin"}},
	{line: "/audit", allowed: []string{"admin"}},
	{line: `/s172 log "Hire locally" b:"staff asked" business:1`, allowed: []string{"member", "owner", "admin"}},
	{line: "/s172 list", allowed: all()},
	{line: "/s172 show 2", allowed: all()},
	{line: "/s172 show 1", allowed: []string{"member", "owner", "admin"}, refusal: bot.NotFound},
	{line: `/s172 amend 1 outcome:"deferred"`, allowed: []string{"member", "owner", "admin"}, refusal: bot.NotFound}, // board-only: hidden
	{line: "/s172 factors", allowed: all()},
	{line: "/s172 statement business:1", allowed: []string{"member", "owner", "admin"}},
	{line: `/s172 stakeholders add staff how:"quarterly forum" business:1`, allowed: []string{"member", "owner", "admin"}},
	{line: "/s172 stakeholders list business:1", allowed: []string{"member", "owner", "admin"}},
	{line: "/s172 stakeholders remove investors business:1", allowed: []string{"member", "owner", "admin"}},
	{line: "/roles grant dave council", allowed: []string{"admin"}},
	{line: "/roles revoke council council", allowed: []string{"admin"}},
	{line: "/roles list", allowed: []string{"coordinator", "admin"}},
	{line: "/summary", allowed: []string{"council", "coordinator", "admin"}},
	{line: "/summary show period:2026", allowed: []string{"council", "coordinator", "admin"}},
	{line: "/summary export format:csv", allowed: []string{"council", "coordinator", "admin"}},
	{line: "/summary link days:3", allowed: []string{"council", "coordinator", "admin"}},
	{line: "/help", allowed: all()},
	{line: "/partner register New Group", allowed: all()},
	{line: "/partner register New Group owner:dave", allowed: []string{"coordinator", "admin"}},
	{line: "/partner list", allowed: all()},
	{line: "/partner show 1", allowed: all()},
	{line: "/partner add-member dave partner:1", allowed: []string{"partner-owner", "coordinator", "admin"}},
	{line: "/partner add-member dave", allowed: []string{"partner-owner"}}, // no partner:N: only theirs
	{line: "/partner remove-member co-owner partner:1", allowed: []string{"partner-owner", "coordinator", "admin"}},
	{line: "/partner remove-member partner-member partner:1", allowed: []string{"partner-member", "partner-owner", "coordinator", "admin"}}, // anyone may leave
	{line: "/pledge show 3", allowed: []string{"member", "owner", "admin", "partner-member", "partner-owner"}, refusal: bot.NotFound},       // addressed to them
	{line: "/pledge edit 1 partner:1", allowed: []string{"member", "owner", "admin"}},
	{line: "/pledge edit 3 partner:none", allowed: []string{"member", "owner", "admin"}}, // seeing is not changing
	{line: "/pledge progress 3 1", allowed: []string{"member", "owner", "admin"}},
	{line: "/pledge confirm 4", allowed: []string{"partner-member", "partner-owner"}},                       // only the partner's people
	{line: "/pledge query 4 entry:1 we saw one hour", allowed: []string{"partner-member", "partner-owner"}}, // not the business, not admins
	{line: "/pledge reply 4 entry:1 it was on Saturday", allowed: []string{"member", "owner"}},              // the business's people, not its partner's, not admins
	{line: "/pledge outcome 4 Ten families ate well", allowed: []string{"partner-member", "partner-owner"}}, // the partner's own words
	{line: "/partner export 1", allowed: []string{"partner-owner", "coordinator", "admin"}},
	{line: "/need post Tins theme:sponsorship target:5", allowed: []string{"council", "coordinator", "admin", "partner-member", "partner-owner"}},
	{line: "/need post Tins theme:sponsorship target:5 partner:1", allowed: []string{"council", "coordinator", "admin", "partner-member", "partner-owner"}},
	{line: "/need list", allowed: all()},
	{line: "/need show 1", allowed: all()},
	{line: "/need close 1", allowed: []string{"coordinator", "admin", "partner-member", "partner-owner"}}, // not the council: not its poster
	{line: "/pledge add Tins theme:sponsorship need:1 business:1", allowed: []string{"member", "owner", "admin"}},
	{line: "/partner leave", allowed: []string{"partner-member", "partner-owner"}, refusal: bot.NotFound},
}

// TestEveryCommandAsEveryRole runs each case on a fresh fixture as each
// kind of person, so one person's change never decides another's outcome.
func TestEveryCommandAsEveryRole(t *testing.T) {
	for _, c := range permCases {
		for _, who := range people {
			t.Run(strings.ReplaceAll(c.line, "/", "")+"/"+who, func(t *testing.T) {
				t.Parallel() // each subtest has its own key prefix
				h := permissionFixture(t)
				user := who
				if who == "admin" {
					user = h.Admin
				}
				want := c.refusal
				if want == "" {
					want = bot.Forbidden
				}
				r := h.Reply(user, c.line)
				switch {
				case allows(c.allowed, who) && r.Err != nil:
					t.Errorf("%s: %s refused (%s): %s", who, c.line, r.Err.Code, r.Err.Message)
				case !allows(c.allowed, who) && r.Err == nil:
					t.Errorf("%s: %s allowed, want %s:\n%s", who, c.line, want, bot.PlainText(r))
				case !allows(c.allowed, who) && r.Err.Code != want:
					t.Errorf("%s: %s refused with %s (%s), want %s", who, c.line, r.Err.Code, r.Err.Message, want)
				}
			})
		}
	}
}

// TestEverySubcommandIsCovered runs every registered subcommand through
// the router's role gate as every person. Subcommands with a case above
// were checked in full; for any other (a command added later) the gate
// alone is checked: those below MinRole are refused before the handler.
func TestEverySubcommandIsCovered(t *testing.T) {
	h := permissionFixture(t)
	covered := map[string]bool{}
	for _, c := range permCases {
		f := strings.Fields(strings.TrimPrefix(c.line, "/"))
		if len(f) > 1 {
			covered[f[0]+" "+f[1]] = true
		}
		covered[f[0]] = true
	}
	for _, cmd := range h.Bot.Commands() {
		for _, sub := range cmd.Subs {
			if covered[cmd.Name+" "+sub.Name] || (sub.Name == "" && covered[cmd.Name]) {
				continue
			}
			t.Logf("/%s %s has no full case in permCases: checking the role gate only", cmd.Name, sub.Name)
			for i, who := range people {
				if personRole(i) >= sub.MinRole {
					continue
				}
				r := h.Bot.Handle(context.Background(), bot.Request{From: console.Identity(who), Command: cmd.Name,
					Sub: sub.Name, Args: bot.NewArgs()})
				if r.Err == nil || r.Err.Code != bot.Forbidden {
					t.Errorf("%s ran /%s %s (min role %s): %+v", who, cmd.Name, sub.Name, sub.MinRole, r)
				}
			}
		}
	}
}

// personRole is the strongest role of people[i] the router knows; a
// partner's people are members of the workspace to it.
func personRole(i int) bot.Role {
	return []bot.Role{bot.RoleMember, bot.RoleMember, bot.RoleOwner, bot.RoleCouncil, bot.RoleCoordinator, bot.RoleAdmin,
		bot.RoleMember, bot.RoleMember}[i]
}

func allows(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestRolesGrantRevokeList(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo(h.Admin, "/roles grant carol council")
	if out := h.MustDo(h.Admin, "/roles grant carol council"); !strings.Contains(out, "already") {
		t.Errorf("second grant: %s", out)
	}
	h.MustDo(h.Admin, "/roles grant dan admin")
	// A granted admin can grant and revoke, but not a configured admin.
	h.MustDo("dan", "/roles grant erin coordinator")
	msg := h.MustFail("dan", "/roles revoke "+h.Admin+" admin", bot.Forbidden)
	if !strings.Contains(msg, "configuration") {
		t.Errorf("revoking a config admin: %s", msg)
	}
	out := h.MustDo("erin", "/roles list")
	for _, want := range []string{"admin (configuration): @admin", "admin: @dan", "coordinator: @erin", "council: @carol"} {
		if !strings.Contains(out, want) {
			t.Errorf("roles list lacks %q:\n%s", want, out)
		}
	}
	h.MustDo("carol", "/summary")
	h.MustDo(h.Admin, "/roles revoke carol council")
	h.MustFail("carol", "/summary", bot.Forbidden)
	h.MustFail(h.Admin, "/roles revoke carol council", bot.NotFound)
	h.MustFail(h.Admin, "/roles grant carol owner", bot.Invalid)
	h.MustDo(h.Admin, "/roles revoke dan admin")
	h.MustFail("dan", "/roles grant x council", bot.Forbidden)
}
