package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// maxStakeholders bounds one business's register: a statement is
// organised by its groups, and a board has a handful.
const maxStakeholders = 30

var s172Stakeholders = script("s172_stakeholders")

// AddStakeholder adds a group to a business's register, or changes how it
// is engaged when the name is there already (updated true).
func (s *Store) AddStakeholder(ctx context.Context, c string, a bot.Actor, business int, st bot.Stakeholder, reqID string) (int, bool, error) {
	entry, err := json.Marshal(stakeholderJSON{Name: st.Name, How: st.How})
	if err != nil {
		return 0, false, err
	}
	biz, status, _, err := s.stakeholders(ctx, c, a, business, "add", bot.GroupKey(st.Name), string(entry), reqID)
	return biz, status == "updated", err
}

// RemoveStakeholder takes a group off a business's register; records that
// named it keep the name.
func (s *Store) RemoveStakeholder(ctx context.Context, c string, a bot.Actor, business int, name, reqID string) (int, error) {
	biz, _, _, err := s.stakeholders(ctx, c, a, business, "remove", bot.GroupKey(name), "", reqID)
	return biz, err
}

// Stakeholders lists a business's register by name.
func (s *Store) Stakeholders(ctx context.Context, c string, a bot.Actor, business int) (int, []bot.Stakeholder, error) {
	biz, _, list, err := s.stakeholders(ctx, c, a, business, "list", "", "", "")
	return biz, list, err
}

type stakeholderJSON struct {
	Name string `json:"n"`
	How  string `json:"h,omitempty"`
}

func (s *Store) stakeholders(ctx context.Context, c string, a bot.Actor, business int, op, key, entry, reqID string) (int, string, []bot.Stakeholder, error) {
	call := stakeholdersCall{Actor: a, Req: reqID, Business: business, Op: op, Key: key, Entry: entry, Max: maxStakeholders}
	res, err := s.call(ctx, s172Stakeholders, c, call.argv()...).Slice()
	if err = s.fail(err); err != nil {
		return 0, "", nil, stakeholderError(err)
	}
	if len(res) < 2 {
		return 0, "", nil, fmt.Errorf("store: unexpected stakeholder reply %v", res)
	}
	biz, _ := strconv.Atoi(fmt.Sprint(res[0]))
	status, _ := res[1].(string)
	var list []bot.Stakeholder
	for _, raw := range res[2:] {
		var e stakeholderJSON
		if str, ok := raw.(string); ok && json.Unmarshal([]byte(str), &e) == nil {
			list = append(list, bot.Stakeholder{Name: e.Name, How: e.How})
		}
	}
	sort.Slice(list, func(i, j int) bool { return bot.GroupKey(list[i].Name) < bot.GroupKey(list[j].Name) })
	return biz, status, list, nil
}

func stakeholderError(err error) error {
	se, ok := err.(*scriptError)
	if !ok {
		return err
	}
	switch se.code {
	case "forbidden":
		return bot.StoreErr(bot.Forbidden, "not_stakeholder_editor", strings.TrimPrefix(se.detail, "stakeholders "))
	case "toomany":
		return bot.StoreErr(bot.Conflict, "stakeholders_full", se.detail)
	case "notfound":
		if kind, _, _ := strings.Cut(se.detail, " "); kind == "stakeholder" {
			return bot.StoreErr(bot.NotFound, "stakeholder_not_found")
		}
	}
	return decisionError(err)
}

// stakeholdersCall is the argument list of lua/s172_stakeholders.lua.
type stakeholdersCall struct {
	Actor    bot.Actor
	Req      string
	Business int    // 0: the actor's only one
	Op       string // "add", "remove" or "list"
	Key      string // the group's key (bot.GroupKey)
	Entry    string // the group as stakeholderJSON
	Max      int
}

func (c stakeholdersCall) argv() []any {
	return append(actorArgs(c.Actor, reqKey(c.Req)), c.Business, c.Op, c.Key, c.Entry, c.Max)
}
