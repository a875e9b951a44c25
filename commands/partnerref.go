package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// resolvePartner reads a pledge's partner:NAME-or-N: its number, 0 for
// "none" (or "-"), or the one partner whose name matches. A number is
// checked by the store, atomically with the write.
func resolvePartner(ctx context.Context, c *bot.Call, value string) (int, error) {
	v := strings.TrimSpace(value)
	if n, ok := partnerNumber(v); ok {
		return n, nil
	}
	ps, err := c.Bot.Store().Partners(ctx, c.Community)
	if err != nil {
		return 0, err
	}
	return matchPartner(v, ps)
}

// partnerNumber reads "none", "-", "N" or "#N".
func partnerNumber(v string) (int, bool) {
	switch strings.ToLower(v) {
	case "none", "-":
		return 0, true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(v, "#"))
	if err != nil || n <= 0 || n > bot.MaxRef || strings.HasPrefix(v, "#+") || strings.HasPrefix(v, "+") {
		return 0, false
	}
	return n, true
}

// matchPartner picks the partner a name means: the one whose name is it
// (compared as look-alike skeletons, as registration does), else the one
// whose name contains it, ignoring case (skeletons are too loose for
// parts: "0" is the "o" of every name). None or several is a refusal that lists the
// candidates, so the person can retype with a number.
func matchPartner(v string, ps []bot.Partner) (int, error) {
	if v == "" {
		return 0, bot.Errorf(bot.Invalid, "partner: needs a partner's number or name, e.g. partner:3. /partner list shows them.")
	}
	key, lower := bot.NameKey(v), strings.ToLower(v)
	var exact, near []bot.Partner
	for _, p := range ps {
		switch {
		case bot.NameKey(p.Name) == key:
			exact = append(exact, p)
		case strings.Contains(strings.ToLower(p.Name), lower):
			near = append(near, p)
		}
	}
	if len(exact) == 1 {
		return exact[0].Number, nil
	}
	if len(exact) == 0 && len(near) == 1 {
		return near[0].Number, nil
	}
	shown := clipText(v, 40)
	if len(exact)+len(near) > 1 {
		return 0, bot.Errorf(bot.Invalid, "partner:%q matches several partners: %s. Give its number, e.g. partner:%d.",
			shown, candidates(append(exact, near...)), append(exact, near...)[0].Number)
	}
	if len(ps) == 0 {
		return 0, bot.Errorf(bot.NotFound, "There is no partner %q: no community partner is registered yet (/partner register NAME).", shown)
	}
	return 0, bot.Errorf(bot.NotFound, "There is no partner %q. Partners: %s. Give a number or a name, e.g. partner:%d.",
		shown, candidates(ps), ps[0].Number)
}

func candidates(ps []bot.Partner) string {
	return bot.ListNumbered(ps, func(p bot.Partner) (int, string) { return p.Number, p.Name }, "/partner list")
}

// partnerLabel is "#N Name", or "#N" when its name can't be read.
func partnerLabel(ctx context.Context, c *bot.Call, n int) string {
	p, err := c.Bot.Store().Partner(ctx, c.Community, n)
	if err != nil {
		return fmt.Sprintf("#%d", n)
	}
	return fmt.Sprintf("#%d %s", p.Number, p.Name)
}
