package bot

import (
	"strconv"
	"strings"
)

// storeText words, for people, every kind of refusal the store returns
// (StoreErr). The store says what went wrong and with which numbers; the
// words, and any command they suggest, live here. Arguments fill the
// format in the order the store gives them.
var storeText = map[string]string{
	"business_not_found":         "There is no business #%v. /business list shows them all.",
	"business_name_taken":        "A business with that name is already registered as #%s. Use /business show %s, or pick another name.",
	"not_business_owner_members": "Only an owner of business #%s (or an admin) can change its members.",
	"not_a_member":               "That person is not a member of business #%s.",
	"last_owner":                 "Business #%s needs at least one owner: make someone else owner first.",
	"not_business_owner_details": "Only an owner of business #%d (or an admin) can change its details.",
	"name_has_separator":         "A name cannot contain '|' or line breaks.",
	"confirm_no_partner":         "pledge %s names no community partner, so there is nothing to confirm.",
	"link_revoked":               "The confirm links of pledge #%s made so far were withdrawn by the business.",
	"link_partner_changed":       "Pledge #%s is no longer made to the partner this link was for.",
	"not_partner_confirm":        "Only the people of partner #%s, which pledge #%s is made to, can confirm or query its progress.",
	"confirm_no_progress":        "Pledge #%s has no progress logged yet, so there is nothing to confirm.",
	"entry_struck":               "Entry %s was struck out; there is nothing to confirm or query.",
	"entry_queried":              "Entry %s is already queried; the business answers with /pledge correct, or you can confirm it.",
	"entry_confirmed":            "Entry %s is already confirmed.",
	"correct_no_progress":        "Pledge #%s has no progress logged, so there is nothing to correct.",
	"entry_not_found_one":        "Pledge has one progress entry; entry:%s is not one. /pledge show lists them.",
	"entry_not_found":            "Entry %s is not one of the pledge's %s progress entries. /pledge show numbers them.",
	"entry_same_amount":          "Entry %s already has that amount; nothing changed.",
	"not_entry_corrector":        "Only the person who logged entry %s of pledge #%s, the business's owners or an admin can correct it.",
	"pledge_already_active":      "Pledge #%s is already active.",
	"pledge_withdrawn_reopen":    "Pledge #%s was withdrawn, so it can't be reopened: make a new pledge instead.",
	"reopen_due_passed":          "Its due date (%s) has passed: reopen it with a new one from today on, e.g. due:31/03/2027 or due:end of month.",
	"need_not_found":             "There is no need #%v. /need list shows them.",
	"not_your_partner":           "You don't act for partner #%s: post needs for your own partner, or ask a coordinator.",
	"need_poster_not_partner":    "Only a community partner's people, coordinators and the council can post needs. A partner registers with /partner register NAME.",
	"not_need_closer":            "Only need #%s's partner, its poster, coordinators and admins can close it.",
	"need_already_closed":        "Need #%s is already closed.",
	"outcome_no_partner":         "Pledge #%s names no community partner, so there is no partner to tell its outcome.",
	"not_partner_outcome":        "Only the people of partner #%s, which pledge #%s is made to, can record its outcome.",
	"not_partner_owner_export":   "Only a partner-owner of partner #%d (or an admin or coordinator) can export its data.",
	"partner_role_invalid":       "A partner's people are partner-owner or partner-member, not %s.",
	"partner_not_found":          "There is no partner #%v. /partner list shows them all.",
	"partner_name_taken":         "A partner with that name is already registered as #%s. Use /partner show %s, or pick another name.",
	"partner_owner_not_allowed":  "Only an admin or a coordinator can register a partner for someone else; leave out owner: to register it yourself.",
	"not_partner_owner_people":   "Only a partner-owner of partner #%s (or an admin or coordinator) can change its people.",
	"not_partner_person":         "That person is not one of partner #%s's people.",
	"last_partner_owner":         "Partner #%s needs at least one partner-owner: make someone else partner-owner first.",
	"no_business":                "You are not part of a business yet. Register one with /business register NAME, or ask its owner to add you.",
	"several_businesses":         "You belong to several businesses (%s): say which with business:N.",
	"not_your_business":          "Only members of business #%s can pledge for it.",
	"pledge_of_another_business": "Pledge #%s belongs to another business; only its members can change it.",
	"pledge_state_conflict":      "That pledge is %s, so it can't be changed that way.",
	"need_closed":                "Need #%s is closed: pledge against an open one (/need list).",
	"need_other_theme":           "Need #%[1]s is about %[2]s: pledge against it with theme:%[2]s, or leave theme: out.",
	"need_other_partner":         "Need #%s is partner #%s's: leave partner: out, or name that one.",
	"pledge_not_found":           "There is no pledge #%v you can see. /pledge list shows them.",
	"not_business_owner_export":  "Only an owner of business #%d (or an admin) can export its data.",
	"decision_not_found":         "There is no decision #%s that you can see. /s172 list shows yours.",
	"not_decision_recorder":      "Only the owners and members of business #%s (or an admin) can record its decisions.",
	"not_decision_amender":       "Only the owners and members of its business (or an admin) can amend decision #%s.",
	"decision_no_factor":         "A decision record needs at least one s172(1) factor (a: to f:) with a note; nothing was changed.",
	"review_before_decision":     "The review date (%s) can't be before the decision date (%s); nothing was changed.",
	"too_many_amendments":        "Decision #%[1]s already has %[2]d amendments; log a new decision instead, and mention #%[1]s in it.",
	"linked_pledge_not_found":    "There is no pledge #%s that you can see, so it can't be linked; nothing was changed.",
	"digest_channel_invalid":     "This channel can't receive digests (its id has odd characters).",
	"not_stakeholder_editor":     "Only the owners and members of business #%s (or an admin) can see or change its stakeholder register.",
	"stakeholders_full":          "The stakeholder register holds at most %s groups; remove one first (/s172 stakeholders remove NAME).",
	"stakeholder_not_found":      "There is no such group in the stakeholder register; /s172 stakeholders list shows them.",
}

// Refs are the numbers of the records a refusal lists (the businesses
// someone belongs to): the store gives the numbers, and they read
// "#1, #4".
type Refs []int

// String words the list as people read it.
func (r Refs) String() string {
	out := make([]string, len(r))
	for i, n := range r {
		out[i] = "#" + strconv.Itoa(n)
	}
	return strings.Join(out, ", ")
}
