package commands

import (
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// FuzzS172Options parses arbitrary /s172 log and amend lines and reads them
// into decision changes: never a panic, only *bot.Error refusals, and what
// is accepted always satisfies the rules the store relies on.
func FuzzS172Options(f *testing.F) {
	for _, seed := range []string{
		`"Switch to a local parts supplier" c:"two Cambridge wholesalers, 30-day terms" d:"fewer delivery miles" outcome:"approved" review:2027-03-01`,
		`T a:x pledge:7,9 confidentiality:shareable date:2026-01-02`,
		`T g:"not a factor"`, `T a:- b:""`, `T a:x review:2025-01-01 date:2026-01-01`,
		`T a:x pledge:#7,,9`, `T a:x pledge:+7`, `“curly” e:“quoted”`, `T a:"unclosed`,
		`7 outcome:- pledge:- title:"new"`, `7 review:2026-13-01`, `7 d:"\"escaped\""`,
		`New oven a:long term cost b:staff trained Note: see minutes outcome:chose Fen Ovens`, `7 title:New name outcome:- a:x`,
		`T a:x principal:yes meeting:2026-06-09 directors:MD and FD stakeholders:staff, suppliers heard:staff forum`,
		`7 principal:no directors:- heard:- stakeholders:-`, `T a:x meeting:2027-12-01`, `T a:x principal:maybe`,
	} {
		f.Add(seed)
	}
	cmd := S172()
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, line string) {
		for _, sub := range []string{"log", "amend"} {
			s := cmd.Sub(sub)
			args, err := cmd.Parse(s, line, nil)
			if err != nil {
				if bot.ErrorCode(err) != bot.Invalid {
					t.Fatalf("%s %q: parse error is not Invalid: %v", sub, line, err)
				}
				continue
			}
			amend := sub == "amend"
			ch, err := decisionChanges(args, today, amend)
			if err != nil {
				if bot.ErrorCode(err) != bot.Invalid {
					t.Fatalf("%s %q: refusal is not Invalid: %v", sub, line, err)
				}
				continue
			}
			for k, v := range ch {
				if k != "pledges" && k != "title" && k != "date" && k != "review" && k != "confidentiality" &&
					fieldLabel(k) == "" {
					t.Fatalf("%s %q: unknown field %q", sub, line, k)
				}
				if len([]rune(v)) > maxS172Note {
					t.Fatalf("%s %q: %s over the limit", sub, line, k)
				}
			}
			fields := bot.FieldsFrom(ch)
			if !amend {
				if len(fields.Factors) == 0 {
					t.Fatalf("log %q accepted without a factor", line)
				}
				if !fields.Review.IsZero() && fields.Review.Before(fields.Date) {
					t.Fatalf("log %q accepted a review before the decision", line)
				}
				if fields.Date.After(today.AddDate(0, 0, 1)) || fields.Title == "" {
					t.Fatalf("log %q accepted bad date or title: %+v", line, fields)
				}
			} else if len(ch) == 0 {
				t.Fatalf("amend %q accepted with nothing to change", line)
			}
			if v, ok := ch["pledges"]; ok && v != bot.JoinRefs(bot.ParseRefs(v)) {
				t.Fatalf("%q: pledges %q do not round-trip", line, v)
			}
			if len(fields.Pledges) > maxS172Refs || strings.Contains(ch["pledges"], "-") {
				t.Fatalf("%q: bad pledge list %q", line, ch["pledges"])
			}
		}
	})
}

// TestParsePledgeRefs is the table for the pledge: list syntax.
func TestParsePledgeRefs(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"7", "7", true}, {"#7", "7", true}, {"7,9", "7,9", true}, {" 7 , #9 ", "7,9", true},
		{"7,7,9", "7,9", true}, {"", "", true},
		{"7,", "", false}, {"seven", "", false}, {"0", "", false}, {"-7", "", false}, {"+7", "", false},
		{"7;9", "", false}, {"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21", "", false},
	}
	for _, c := range cases {
		refs, err := parsePledgeRefs(c.in)
		if (err == nil) != c.ok || (c.ok && bot.JoinRefs(refs) != c.want) {
			t.Errorf("parsePledgeRefs(%q) = %v, %v; want %q ok=%v", c.in, refs, err, c.want, c.ok)
		}
	}
}
