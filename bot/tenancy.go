package bot

import "strings"

// Workspace is one chat workspace: a Slack team, a Discord guild, or the
// local console.
type Workspace struct {
	Platform Platform
	ID       string
}

// Community is one local business network and the workspaces it owns.
type Community struct {
	ID         string
	Name       string
	Workspaces []Workspace
	Admins     []Identity
}

// Tenancy maps workspaces to communities. A workspace that no community
// claims becomes a community of its own on first use.
type Tenancy struct {
	byWorkspace map[Workspace]*Community
	byID        map[string]*Community
}

// NewTenancy indexes the configured communities.
func NewTenancy(cs []Community) *Tenancy {
	t := &Tenancy{byWorkspace: map[Workspace]*Community{}, byID: map[string]*Community{}}
	for i := range cs {
		c := &cs[i]
		t.byID[c.ID] = c
		for _, w := range c.Workspaces {
			t.byWorkspace[w] = c
		}
	}
	return t
}

// Community returns the id of the community that owns a workspace.
func (t *Tenancy) Community(p Platform, workspace string) string {
	if c, ok := t.byWorkspace[Workspace{p, workspace}]; ok {
		return c.ID
	}
	return string(p) + "-" + workspace
}

// IsAdmin reports whether configuration makes a person admin of a community.
func (t *Tenancy) IsAdmin(community string, who Identity) bool {
	c, ok := t.byID[community]
	if !ok {
		return false
	}
	for _, a := range c.Admins {
		if a == who {
			return true
		}
	}
	return false
}

// Communities lists the configured communities.
func (t *Tenancy) Communities() []Community {
	out := make([]Community, 0, len(t.byID))
	for _, c := range t.byID {
		out = append(out, *c)
	}
	return out
}

// Name is a community's display name from configuration, or its id where
// none is configured (as for a workspace that became its own community).
func (t *Tenancy) Name(community string) string {
	if c, ok := t.byID[community]; ok && strings.TrimSpace(c.Name) != "" {
		return c.Name
	}
	return community
}
