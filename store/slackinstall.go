package store

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// Slack installations (distribution, OAuth v2) live outside every
// community, since one workspace may belong to any of them:
//
//	PREFIX:slack:install:TEAM         hash: token (sealed), bot_user, scopes, installer, installed_at (unix),
//	                                  enterprise, expires_at (unix, 0: never), refresh (sealed)
//	PREFIX:slack:installs             set of the installed team ids
//	PREFIX:slack:uninstalled          set of the team ids that removed the app and have not installed it again
//	PREFIX:slack:state:STATE          "1" while an OAuth state is unused (SET NX EX, taken with GETDEL)
//
// The store never sees a token in the clear: callers seal them
// (tokenbox) before Save.

// SlackInstall is one workspace's installation.
type SlackInstall struct {
	Team, Enterprise string
	Token            string // sealed
	Refresh          string // sealed; "" without token rotation
	BotUser          string
	Scopes           string // comma-separated, as Slack gives them
	Installer        string // the Slack user id who installed it
	InstalledAt      time.Time
	ExpiresAt        time.Time // zero: the token does not expire
}

// ErrNoInstall: the workspace has no installation.
var ErrNoInstall = errors.New("store: no Slack installation for that workspace")

func (s *Store) installKey(team string) string { return s.prefix + ":slack:install:" + team }
func (s *Store) installsKey() string           { return s.prefix + ":slack:installs" }
func (s *Store) uninstalledKey() string        { return s.prefix + ":slack:uninstalled" }

// replaceHash swaps a hash's fields in one step, so a reader never sees a
// reinstall half written.
var replaceHash = script("install_replace")

// SaveSlackInstall stores (or replaces) a workspace's installation. It is
// idempotent: a retry writes the same fields again.
func (s *Store) SaveSlackInstall(ctx context.Context, in SlackInstall) error {
	if in.Team == "" || in.Token == "" {
		return errors.New("store: a Slack installation needs a team and a sealed token")
	}
	call := installReplaceCall{Install: in}
	if err := replaceHash.Run(ctx, s.rdb, s.installKey(in.Team), call.argv()...).Err(); err != nil {
		return s.fail(err)
	}
	// The index after the hash: a reader walking it finds only whole ones.
	if err := s.rdb.SAdd(ctx, s.installsKey(), in.Team).Err(); err != nil {
		return s.fail(err)
	}
	return s.fail(s.rdb.SRem(ctx, s.uninstalledKey(), in.Team).Err())
}

// SlackInstall reads a workspace's installation, or ErrNoInstall.
func (s *Store) SlackInstall(ctx context.Context, team string) (SlackInstall, error) {
	h, err := s.rdb.HGetAll(ctx, s.installKey(team)).Result()
	if err != nil {
		return SlackInstall{}, s.fail(err)
	}
	if h["token"] == "" {
		return SlackInstall{}, ErrNoInstall
	}
	in := SlackInstall{Team: team, Enterprise: h["enterprise"], Token: h["token"], Refresh: h["refresh"],
		BotUser: h["bot_user"], Scopes: h["scopes"], Installer: h["installer"], InstalledAt: parseUnix(h["installed_at"]),
		ExpiresAt: parseUnix(h["expires_at"])}
	return in, nil
}

// DeleteSlackInstall forgets a workspace's tokens (app_uninstalled,
// tokens_revoked); deleting one that is gone is no error.
func (s *Store) DeleteSlackInstall(ctx context.Context, team string) error {
	if err := s.rdb.SRem(ctx, s.installsKey(), team).Err(); err != nil {
		return s.fail(err)
	}
	if err := s.rdb.Del(ctx, s.installKey(team)).Err(); err != nil {
		return s.fail(err)
	}
	// Remembered so an operator can see whose notices wait (slack-installs).
	return s.fail(s.rdb.SAdd(ctx, s.uninstalledKey(), team).Err())
}

// SlackUninstalled lists the teams that removed the app and have not
// installed it again, sorted.
func (s *Store) SlackUninstalled(ctx context.Context) ([]string, error) {
	teams, err := s.rdb.SMembers(ctx, s.uninstalledKey()).Result()
	sort.Strings(teams)
	return teams, s.fail(err)
}

// HeldNotices counts community c's unsent notices addressed to one
// workspace (every outbox entry is unsent: a sent one is deleted). It
// reads the outbox in pages, so a long one costs time, not memory.
func (s *Store) HeldNotices(ctx context.Context, c string, p bot.Platform, workspace string) (int, error) {
	stream := s.key(c, "outbox")
	n, start := 0, "-"
	for {
		msgs, err := s.rdb.XRangeN(ctx, stream, start, "+", 500).Result()
		if err != nil {
			return 0, s.fail(err)
		}
		for _, e := range decodeEntries(msgs) {
			if e.Bad == nil && e.Notice.To.Platform == p && e.Notice.To.Workspace == workspace {
				n++
			}
		}
		if len(msgs) < 500 {
			return n, nil
		}
		start = nextID(msgs[len(msgs)-1].ID)
	}
}

// SlackInstalls lists every installation, by team id.
func (s *Store) SlackInstalls(ctx context.Context) ([]SlackInstall, error) {
	teams, err := s.rdb.SMembers(ctx, s.installsKey()).Result()
	if err != nil {
		return nil, s.fail(err)
	}
	sort.Strings(teams)
	var out []SlackInstall
	for _, t := range teams {
		in, err := s.SlackInstall(ctx, t)
		if errors.Is(err, ErrNoInstall) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// CountSlackInstalls is the number of installed workspaces (one SCARD).
func (s *Store) CountSlackInstalls(ctx context.Context) (int64, error) {
	n, err := s.rdb.SCard(ctx, s.installsKey()).Result()
	return n, s.fail(err)
}

// PutOAuthState remembers a fresh OAuth state for ttl; false if it was
// already there (a collision: make another).
func (s *Store) PutOAuthState(ctx context.Context, state string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.prefix+":slack:state:"+state, "1", ttl).Result()
	return ok, s.fail(err)
}

// TakeOAuthState consumes a state: true the first time, on whichever
// replica, false once used or expired (GETDEL is one step).
func (s *Store) TakeOAuthState(ctx context.Context, state string) (bool, error) {
	_, err := s.rdb.GetDel(ctx, s.prefix+":slack:state:"+state).Result()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	return err == nil, s.fail(err)
}

// Token rotation: one replica refreshes a workspace's token, the others
// wait for it and read what it stored.
//
//	PREFIX:slack:refresh:TEAM         the refreshing replica's random mark while it refreshes (SET NX PX)

func (s *Store) refreshLockKey(team string) string { return s.prefix + ":slack:refresh:" + team }

// LockSlackRefresh takes the team's refresh lock for ttl with mark (a
// random value of the caller's); false when another replica holds it.
func (s *Store) LockSlackRefresh(ctx context.Context, team, mark string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.refreshLockKey(team), mark, ttl).Result()
	return ok, s.fail(err)
}

// unlockIfMine deletes the lock only while it still holds the caller's
// mark, so a replica whose lock expired cannot free another's.
var unlockIfMine = script("install_unlock")

// UnlockSlackRefresh frees the lock taken with mark.
func (s *Store) UnlockSlackRefresh(ctx context.Context, team, mark string) error {
	call := installUnlockCall{Mark: mark}
	return s.fail(unlockIfMine.Run(ctx, s.rdb, s.refreshLockKey(team), call.argv()...).Err())
}

// swapTokens replaces the tokens in one step, and only while the stored
// token is still the one refreshed: a reinstall or another refresh in
// between wins, and an uninstall is not undone.
var swapTokens = script("install_swap_tokens")

// ReplaceSlackTokens stores a refreshed (sealed) token and refresh token
// in place of old; false when old is no longer the stored token. A retry
// of a replacement that went through answers false and changes nothing.
func (s *Store) ReplaceSlackTokens(ctx context.Context, team, old, token, refresh string, expiresAt time.Time) (bool, error) {
	if token == "" {
		return false, errors.New("store: a refreshed Slack token cannot be empty")
	}
	var exp int64
	if !expiresAt.IsZero() {
		exp = expiresAt.Unix()
	}
	call := installSwapTokensCall{Old: old, Token: token, Refresh: refresh, ExpiresAt: exp}
	n, err := swapTokens.Run(ctx, s.rdb, s.installKey(team), call.argv()...).Int()
	return n == 1, s.fail(err)
}

// installReplaceCall is the argument list of lua/install_replace.lua: the
// installation's fields.
type installReplaceCall struct {
	Install SlackInstall
}

func (c installReplaceCall) argv() []any {
	in := c.Install
	var exp int64
	if !in.ExpiresAt.IsZero() {
		exp = in.ExpiresAt.Unix()
	}
	return []any{"token", in.Token, "refresh", in.Refresh, "bot_user", in.BotUser, "scopes", in.Scopes,
		"installer", in.Installer, "installed_at", in.InstalledAt.Unix(), "enterprise", in.Enterprise, "expires_at", exp}
}

// installUnlockCall is the argument list of lua/install_unlock.lua.
type installUnlockCall struct {
	Mark string
}

func (c installUnlockCall) argv() []any { return []any{c.Mark} }

// installSwapTokensCall is the argument list of lua/install_swap_tokens.lua.
type installSwapTokensCall struct {
	Old, Token, Refresh string
	ExpiresAt           int64 // unix, 0: never
}

func (c installSwapTokensCall) argv() []any { return []any{c.Old, c.Token, c.Refresh, c.ExpiresAt} }
