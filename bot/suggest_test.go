package bot

import "testing"

func TestSuggest(t *testing.T) {
	themes := []string{"local-hiring", "apprenticeships", "inclusive-hiring", "schools", "buy-local", "fair-pay",
		"prompt-payment", "volunteering", "sponsorship", "expert-help", "carbon", "waste"}
	commands := []string{"help", "business", "pledge", "s172", "nudges", "digest", "summary", "roles"}
	subs := []string{"add", "list", "show", "progress", "done", "edit", "withdraw", "correct", "reopen", "snooze"}
	options := []string{"theme", "target", "unit", "due", "visibility", "business"}
	tests := []struct {
		word  string
		names []string
		want  string
	}{
		{"plege", commands, "pledge"},
		{"pledeg", commands, "pledge"},
		{"PLEDGE", commands, "pledge"},
		{"buisness", commands, "business"},
		{"sumary", commands, "summary"},
		{"nudge", commands, "nudges"},
		{"s127", commands, "s172"},
		{"xyz", commands, ""},
		{"buylocal", themes, "buy-local"},
		{"buy_local", themes, "buy-local"},
		{"Buy Local", themes, "buy-local"},
		{"volunteers", themes, "volunteering"},
		{"volunteerng", themes, "volunteering"},
		{"volunt", themes, "volunteering"},
		{"apprentices", themes, "apprenticeships"},
		{"co2", themes, "carbon"},
		{"recycling", themes, "waste"},
		{"hiring", themes, "local-hiring"},
		{"hirng", themes, ""}, // two themes end in hiring: no guess
		{"fishing", themes, ""},
		{"cabon", themes, "carbon"},
		{"prog", subs, "progress"},
		{"re", subs, "reopen"}, // the only one starting so
		{"s", subs, ""},
		{"co", subs, "correct"},

		{"creat", subs, ""},
		{"create", subs, "add"},
		{"new", subs, "add"},
		{"delete", subs, "withdraw"},
		{"lst", subs, "list"},
		{"shwo", subs, "show"},
		{"targt", options, "target"},
		{"tagret", options, "target"},
		{"deu", options, "due"},
		{"dew", options, ""},
		{"d", options, ""},
		{"visibilty", options, "visibility"},
		{"volunteers", subs, ""}, // a synonym only where its name is a choice
	}
	for _, tt := range tests {
		if got := Suggest(tt.word, tt.names); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"a", "", 1}, {"pledge", "plegde", 1}, {"kitten", "sitting", 3}, {"zoë", "zoe", 1}, {"ab", "ba", 1}} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
