package store

import (
	"context"
	"strconv"

	"github.com/pledgebot/pledgebot/bot"
)

// Company details live in the business hash as a few short fields, absent
// when unknown: form, size, figs ("turnover,balance,employees", unknown
// parts empty) and ye (year end, "MM-DD").

var editBusiness = script("edit_business")

// companyFields are the details to write at registration, only those known.
func companyFields(b bot.Business) []any {
	var out []any
	for _, kv := range [][2]string{{"form", b.Form}, {"size", b.Size}, {"figs", b.Figures.String()}, {"ye", b.YearEnd.String()}} {
		if kv[1] != "" {
			out = append(out, kv[0], kv[1])
		}
	}
	return out
}

// decodeCompany reads the details back into b.
func decodeCompany(b *bot.Business, h map[string]string) {
	b.Form, b.Size = h["form"], h["size"]
	b.Figures = bot.ParseFigures(h["figs"])
	b.YearEnd, _ = bot.ParseYearEnd(h["ye"])
}

// EditBusiness changes a business's company details; owners and admins
// only. Figures merge: one given leaves the others as they were.
func (s *Store) EditBusiness(ctx context.Context, c string, a bot.Actor, n int, e bot.BusinessEdit, reqID string) (bot.Business, error) {
	call := editBusinessCall{Actor: a, Req: reqID, Business: n}
	if e.Form != nil {
		call.Fields = append(call.Fields, "form", *e.Form)
	}
	if e.Size != nil {
		call.Fields = append(call.Fields, "size", *e.Size)
	}
	if e.YearEnd != nil {
		call.Fields = append(call.Fields, "ye", e.YearEnd.String())
	}
	if e.Turnover != nil || e.BalanceSheet != nil || e.Employees != nil {
		// Only the figures given travel; the script merges them into what
		// the business holds then, so two owners editing different figures
		// at once keep both.
		call.Fields = append(call.Fields, "figs", figureEdit(e.Turnover)+","+figureEdit(e.BalanceSheet)+","+figureEdit(e.Employees))
	}
	if err := s.call(ctx, editBusiness, c, call.argv()...).Err(); err != nil {
		if se, ok := s.fail(err).(*scriptError); ok && se.code == "forbidden" {
			return bot.Business{}, bot.StoreErr(bot.Forbidden, "not_business_owner_details", n)
		}
		return bot.Business{}, businessError(s.fail(err))
	}
	// The audit and the request record name the editor: erasure must find
	// the community even for an admin who is in no business of it.
	s.appear(ctx, c, a.ID)
	return s.Business(ctx, c, n)
}

// figureEdit is one part of a figures edit: "?" keeps the figure the
// business holds, "" clears it, else its new value.
func figureEdit(x *bot.Figure) string {
	switch {
	case x == nil:
		return "?"
	case !x.Known:
		return ""
	}
	return strconv.FormatFloat(x.Value, 'f', -1, 64)
}

// editBusinessCall is the argument list of lua/edit_business.lua.
type editBusinessCall struct {
	Actor    bot.Actor
	Req      string
	Business int
	Fields   []any // field value pairs among form, size, figs, ye
}

func (c editBusinessCall) argv() []any {
	return append(append(actorArgs(c.Actor, reqKey(c.Req)), c.Business), c.Fields...)
}
