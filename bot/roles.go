package bot

import "fmt"

// Role orders what a person may do. Owner and member are held per business;
// council, coordinator and admin across the whole community. Each role can do
// what the ones before it can.
//
// The partner roles come after admin but stand outside that order: they are
// held per community partner (partner:N:members) and only the store checks
// them, so no subcommand takes one as its MinRole and HasRole never meets
// one (PartnerRole says which roles they are).
type Role int

const (
	RoleMember Role = iota
	RoleOwner
	RoleCouncil
	RoleCoordinator
	RoleAdmin
	RolePartnerMember
	RolePartnerOwner
)

var roleNames = []string{"member", "owner", "council", "coordinator", "admin", "partner-member", "partner-owner"}

// PartnerRole reports whether r is held in a community partner.
func (r Role) PartnerRole() bool { return r == RolePartnerMember || r == RolePartnerOwner }

func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return fmt.Sprintf("role(%d)", int(r))
	}
	return roleNames[r]
}

// ParseRole reads a role name.
func ParseRole(s string) (Role, bool) {
	for i, n := range roleNames {
		if n == s {
			return Role(i), true
		}
	}
	return 0, false
}

// CommunityRoles are the roles that can be granted community-wide.
var CommunityRoles = []Role{RoleCouncil, RoleCoordinator, RoleAdmin}

// MarshalText writes a role by name.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads a role name.
func (r *Role) UnmarshalText(b []byte) error {
	v, ok := ParseRole(string(b))
	if !ok {
		return fmt.Errorf("unknown role %q", b)
	}
	*r = v
	return nil
}
