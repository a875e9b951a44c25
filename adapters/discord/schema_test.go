package discord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The tests check every body the adapter produces against Discord's
// published OpenAPI 3.1 description. Its schemas are JSON Schema 2020-12,
// so a plain JSON-schema validator compiles them by JSON pointer.

var (
	specOnce     sync.Once
	specCompiler *jsonschema.Compiler
	specURL      string
	specErr      error
	schemaMu     sync.Mutex
	schemas      = map[string]*jsonschema.Schema{}
)

// specFile is Discord's OpenAPI description, kept in the repository with
// its MIT licence so that a fresh clone tests on its own.
const specFile = "../../testdata/specs/discord-openapi.json"

// schemaFor compiles the schema at a JSON pointer of the OpenAPI document.
// A missing or broken spec fails every test that asks, never only the first.
func schemaFor(t testing.TB, pointer string) *jsonschema.Schema {
	t.Helper()
	specOnce.Do(func() { specErr = loadSpec() })
	if specErr != nil {
		t.Fatalf("Discord's OpenAPI description (%s): %v", specFile, specErr)
	}
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemas[pointer]; ok {
		return s
	}
	s, err := specCompiler.Compile(specURL + "#" + pointer)
	if err != nil {
		t.Fatalf("compile %s: %v", pointer, err)
	}
	schemas[pointer] = s
	return s
}

func loadSpec() error {
	p, err := filepath.Abs(specFile)
	if err != nil {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return err
	}
	specURL = "file://" + filepath.ToSlash(p)
	specCompiler = jsonschema.NewCompiler()
	return specCompiler.AddResource(specURL, doc)
}

// pathSchema is the JSON request body schema of an operation.
func pathSchema(t testing.TB, path, method string) *jsonschema.Schema {
	esc := strings.NewReplacer("~", "~0", "/", "~1", "{", "%7B", "}", "%7D").Replace(path)
	return schemaFor(t, "/paths/"+esc+"/"+method+"/requestBody/content/application~1json/schema")
}

// validate checks a JSON body against a schema, failing the test with the
// validator's explanation.
func validate(t testing.TB, s *jsonschema.Schema, body []byte, what string) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, body)
	}
	if err := s.Validate(v); err != nil {
		t.Fatalf("%s does not match discord-openapi.json: %v\n%s", what, err, body)
	}
}

// Operations whose bodies the adapter produces.
const (
	opCommands      = "/applications/{application_id}/commands"
	opGuildCommands = "/applications/{application_id}/guilds/{guild_id}/commands"
	opCallback      = "/interactions/{interaction_id}/{interaction_token}/callback"
	opEditOriginal  = "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
	opFollowup      = "/webhooks/{webhook_id}/{webhook_token}"
	opDM            = "/users/@me/channels"
	opMessage       = "/channels/{channel_id}/messages"
)

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSchemasCompile(t *testing.T) {
	for _, op := range []struct{ path, method string }{{opCommands, "put"}, {opGuildCommands, "put"}, {opCallback, "post"},
		{opEditOriginal, "patch"}, {opFollowup, "post"}, {opDM, "post"}, {opMessage, "post"}} {
		pathSchema(t, op.path, op.method)
	}
	// The validator must reject what Discord rejects, or the other tests
	// prove nothing.
	bad := []byte(`[{"name":"Has Spaces And Is Far Too Long For Discord's Limit","type":1,"options":[{"type":3,"name":"x","description":""}]}]`)
	if err := pathSchema(t, opCommands, "put").Validate(mustUnmarshal(t, bad)); err == nil {
		t.Fatal("validator accepted an over-long command name and empty description")
	}
	embeds := strings.Repeat(`{"description":"x"},`, 11)
	for _, bad := range []string{
		`{"type":4,"data":{"embeds":[` + strings.TrimSuffix(embeds, ",") + `]}}`,
		`{"type":4,"data":{"embeds":[{"description":"` + strings.Repeat("x", 4097) + `"}]}}`,
		`{"type":8,"data":{"choices":[` + strings.TrimSuffix(strings.Repeat(`{"name":"a","value":"a"},`, 26), ",") + `]}}`,
		`{"type":9,"data":{"custom_id":"m","title":"t","components":[]}}`,
	} {
		if err := pathSchema(t, opCallback, "post").Validate(mustUnmarshal(t, []byte(bad))); err == nil {
			t.Errorf("validator accepted %.80s…", bad)
		}
	}
}

func mustUnmarshal(t testing.TB, b []byte) any {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMain refuses to start without the spec: the fake servers validate
// from their own goroutines, where a failed load cannot stop a test.
func TestMain(m *testing.M) {
	specOnce.Do(func() { specErr = loadSpec() })
	if specErr != nil {
		fmt.Fprintf(os.Stderr, "Discord's OpenAPI description (%s): %v\n", specFile, specErr)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
