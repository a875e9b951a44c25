package store

import (
	"io/fs"
	"regexp"
	"strings"
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

// Every ledger kind a script writes has its own letter (figures.lua's
// ledger_kinds): entries are stored by letter, upper case when compact,
// so two kinds must never share a letter in either case.
func TestEveryLedgerKindHasItsLetter(t *testing.T) {
	figures, err := fs.ReadFile(luaFiles, "lua/figures.lua")
	if err != nil {
		t.Fatal(err)
	}
	table := regexp.MustCompile(`(?s)local ledger_kinds = \{(.*?)\}`).FindSubmatch(figures)
	if table == nil {
		t.Fatal("ledger_kinds not found in figures.lua")
	}
	kinds, letters := map[string]string{}, map[string]string{}
	for _, m := range regexp.MustCompile(`(\w+) = '([a-z-]+)'`).FindAllStringSubmatch(string(table[1]), -1) {
		l := strings.ToLower(m[1])
		if len(l) != 1 {
			t.Errorf("kind %s has the letter %q, not one letter", m[2], m[1])
		}
		if other, ok := letters[l]; ok {
			t.Errorf("%s and %s share the letter %q", other, m[2], l)
		}
		if other, ok := kinds[m[2]]; ok {
			t.Errorf("%s has two letters, %q and %q", m[2], other, l)
		}
		letters[l], kinds[m[2]] = m[2], l
	}
	files, err := fs.Glob(luaFiles, "lua/*.lua")
	if err != nil {
		t.Fatal(err)
	}
	written := regexp.MustCompile(`(?:record|activity|ledger_append)\((?:[a-z ]+ and )?'([a-z-]+)'(?: or '([a-z-]+)')?`)
	seen := 0
	for _, f := range files {
		src, err := fs.ReadFile(luaFiles, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range written.FindAllStringSubmatch(string(src), -1) {
			for _, k := range m[1:] {
				if k == "" {
					continue
				}
				seen++
				if kinds[k] == "" {
					t.Errorf("%s writes ledger kind %q, which ledger_kinds gives no letter", f, k)
				}
			}
		}
	}
	if seen < 10 {
		t.Fatalf("found only %d ledger writes: has record changed shape?", seen)
	}
}
