package slack

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaPath is Slack's published app-manifest schema, kept in the
// repository with its MIT licence so that a fresh clone tests on its own.
const schemaPath = "../../testdata/specs/slack-manifest.schema.json"

func manifestSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatalf("Slack's manifest schema (%s): %v", schemaPath, err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	// Slack's schema uses ECMAScript lookaheads, which Go's regexp lacks.
	c.UseRegexpEngine(ecmaRegexp)
	if err := c.AddResource("slack-manifest.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("slack-manifest.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestManifestValidates(t *testing.T) {
	sch := manifestSchema(t)
	b := bot.New(bot.Options{})
	b.Register(commands.All(b, nil)...)
	for _, o := range []ManifestOptions{
		{BaseURL: "https://pledgebot.example.org/"},
		{SocketMode: true},
	} {
		out, err := Manifest(b, o)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("%+v: manifest does not validate: %v\n%s", o, err, out)
		}
		var m struct {
			Features struct {
				SlashCommands []struct{ Command, URL string } `json:"slash_commands"`
			} `json:"features"`
			Settings struct {
				Interactivity struct {
					RequestURL string `json:"request_url"`
				} `json:"interactivity"`
				Events struct {
					RequestURL string   `json:"request_url"`
					BotEvents  []string `json:"bot_events"`
				} `json:"event_subscriptions"`
			} `json:"settings"`
		}
		json.Unmarshal(out, &m)
		var names []string
		for _, c := range m.Features.SlashCommands {
			names = append(names, c.Command)
			if !o.SocketMode && c.URL != "https://pledgebot.example.org/slack/commands" {
				t.Errorf("%s url %q", c.Command, c.URL)
			}
		}
		// Every registered command except those under /pledgebot.
		for _, c := range b.Commands() {
			want := c.Name != "help" && c.Name != "roles" && c.Name != "settings"
			if got := strings.Contains(strings.Join(names, " ")+" ", "/"+c.Name+" "); got != want {
				t.Errorf("/%s in manifest: %v, want %v (%v)", c.Name, got, want, names)
			}
		}
		if names[len(names)-1] != "/pledgebot" {
			t.Errorf("no /pledgebot: %v", names)
		}
		if !o.SocketMode && (m.Settings.Interactivity.RequestURL != "https://pledgebot.example.org/slack/interactions" ||
			m.Settings.Events.RequestURL != "https://pledgebot.example.org/slack/events") {
			t.Errorf("urls: %+v", m.Settings)
		}
	}
}

func TestManifestSchemaCatchesMistakes(t *testing.T) {
	// The validator must actually reject a broken manifest, or the test
	// above proves nothing.
	sch := manifestSchema(t)
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"display_information":{"name":""},"features":{"slash_commands":[{"command":"pledge"}]}}`))
	if err := sch.Validate(inst); err == nil {
		t.Fatal("schema accepted a manifest with an empty name and a command without slash or description")
	}
}

func TestManifestNeedsURL(t *testing.T) {
	b := bot.New(bot.Options{})
	for _, u := range []string{"", "pledgebot.example.org", "ftp://x", "https://"} {
		if _, err := Manifest(b, ManifestOptions{BaseURL: u}); err == nil {
			t.Errorf("accepted --url %q", u)
		}
	}
}

// ecmaRegexp compiles JSON-schema patterns with ECMAScript semantics, as
// the spec asks, via regexp2.
func ecmaRegexp(pattern string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(pattern, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return ecma{re}, nil
}

type ecma struct{ re *regexp2.Regexp }

func (e ecma) MatchString(s string) bool {
	ok, err := e.re.MatchString(s)
	return ok && err == nil
}

func (e ecma) String() string { return e.re.String() }
