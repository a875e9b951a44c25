package store

import (
	"io/fs"
	"regexp"
	"testing"
)

// Every operation a script records a request under has its one-letter
// code: without one, each of its records carries the whole operation name
// (prelude.lua's fallback), and two codes must never be the same letter.
func TestEveryRequestOperationHasACode(t *testing.T) {
	prelude, err := fs.ReadFile(luaFiles, "lua/prelude.lua")
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	letters := map[string]string{}
	for _, m := range regexp.MustCompile(`\['([a-z0-9-]+)'\] = '(.)'`).FindAllStringSubmatch(string(prelude), -1) {
		if other, ok := letters[m[2]]; ok {
			t.Errorf("%s and %s share the code %q", other, m[1], m[2])
		}
		codes[m[1]], letters[m[2]] = m[2], m[1]
	}
	files, err := fs.Glob(luaFiles, "lua/*.lua")
	if err != nil {
		t.Fatal(err)
	}
	ops := regexp.MustCompile(`idem_key\([^,]+, '([a-z0-9-]+)'\)`)
	seen := 0
	for _, f := range files {
		src, err := fs.ReadFile(luaFiles, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ops.FindAllStringSubmatch(string(src), -1) {
			seen++
			if codes[m[1]] == "" {
				t.Errorf("%s records %q without a code in prelude.lua's idem_codes", f, m[1])
			}
		}
	}
	if seen < 10 {
		t.Fatalf("found only %d request operations: has idem_key changed shape?", seen)
	}
}
