package store

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestScriptsCarryOnlyTheirHelpers: each script is sent with the library
// helpers it names, directly or through another helper it carries, and
// with no other (luaload.go). The redis wrapper goes with the scripts
// that touch pledge hashes only.
func TestScriptsCarryOnlyTheirHelpers(t *testing.T) {
	if len(allScripts) < 50 {
		t.Fatalf("%d scripts registered, expected every lua/*.lua but the libraries", len(allScripts))
	}
	for name := range allScripts {
		src := scriptSource(name)
		in := libs.helpers(src)
		carried := map[int]bool{}
		for _, i := range in {
			carried[i] = true
		}
		// what the script and each helper it carries name
		names := map[string][]int{} // name -> the carried code naming it (-1: the script)
		for _, n := range luaNames(luaCodeOnly(src, false)) {
			names[n] = append(names[n], -1)
		}
		for _, i := range in {
			for _, n := range luaNames(libs.blocks[i].code) {
				names[n] = append(names[n], i)
			}
		}
		pledges := needsWrapper(luaCodeOnly(src, true)) || needsWrapper(keysHeader(src))
		for _, i := range in {
			pledges = pledges || needsWrapper(libs.blocks[i].text)
		}
		for _, i := range in {
			b := libs.blocks[i]
			used := false
			for _, d := range b.defines {
				for _, by := range names[d] {
					// named by the script or by a later helper (an earlier
					// one, or the block itself, means a global of that name)
					used = used || by == -1 || by > i
				}
			}
			if !used {
				t.Errorf("%s.lua carries %s (%s.lua), which nothing it runs names", name, strings.Join(b.defines, ", "), b.file)
			}
			if i == libs.wrapper && !pledges {
				t.Errorf("%s.lua carries the redis wrapper but touches no key it translates (needsWrapper)", name)
			}
		}
		for n, by := range names {
			i, ok := libs.definer[n]
			if !ok || carried[i] || (i == libs.wrapper && !pledges) {
				continue
			}
			for _, b := range by {
				if b == -1 || b > i {
					t.Errorf("%s.lua names %s (%s.lua) but is sent without it", name, n, libs.blocks[i].file)
					break
				}
			}
		}
		if pledges && contains(names["redis"], -1) && !carried[libs.wrapper] {
			t.Errorf("%s.lua touches pledge keys without the field-name wrapper", name)
		}
	}
}

// TestScriptsLoad loads every assembled script (SCRIPT LOAD compiles it),
// on real Redis and on the embedded store.
func TestScriptsLoad(t *testing.T) {
	rdb, _ := testRedis(t)
	var names []string
	for n := range allScripts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := allScripts[n].Load(context.Background(), rdb).Err(); err != nil {
			t.Errorf("%s.lua: %v", n, err)
		}
	}
}

var (
	fixedKey   = regexp.MustCompile(`base \.\. '([^']+)'(\s*\.\.)?`)
	outboxEach = regexp.MustCompile(`\boutbox_each\(`)
)

// TestScriptsDeclareTheirKeys: every key a script (with the helpers it
// carries) builds whole from the base, base .. 'NAME', is declared in its
// header's KEYS, and each declared name is one it builds; every key it
// builds from data, base .. 'NAME:' .. x, is named in its KEYS or its
// "Derived keys" (docs/design.md, script conventions). A key that names
// an argument, NAME:ARGV[n], names a required position before any tail.
func TestScriptsDeclareTheirKeys(t *testing.T) {
	for name, sc := range allScripts {
		src := scriptSource(name)
		h, _ := parseScriptHeader(src)
		if len(sc.keyTemplates) != len(h.keys) {
			t.Errorf("%s.lua: the loader read %d keys, the header test %d", name, len(sc.keyTemplates), len(h.keys))
		}
		fixed, _, _ := h.fixed()
		declared := map[string]bool{}
		whole := false
		for _, k := range sc.keyTemplates {
			declared[k] = true
			whole = whole || k == "(whole)"
			for _, m := range argvRef.FindAllStringSubmatch(k, -1) {
				n, _ := strconv.Atoi(m[1])
				if n < 1 || n > fixed || h.argv[n-1].optional || h.argv[n-1].unused {
					t.Errorf("%s.lua: key %s names ARGV[%d], which is not a required argument", name, k, n)
				}
			}
		}
		if whole {
			if len(sc.keyTemplates) != 1 || strings.Contains(src, "base") {
				t.Errorf("%s.lua: a script given its key whole has one key and no base", name)
			}
			continue
		}
		var docs []string
		for _, l := range strings.Split(src, "\n") {
			if !strings.HasPrefix(l, "--") {
				break
			}
			docs = append(docs, l)
		}
		doc := strings.Join(docs, "\n")
		code := luaCodeOnly(assemble(name), true)
		built := map[string]bool{}
		for _, m := range fixedKey.FindAllStringSubmatch(code, -1) {
			if m[2] != "" {
				if !strings.Contains(doc, " "+m[1]) {
					t.Errorf("%s.lua builds keys %s... from data but its header names them neither in KEYS nor in Derived keys", name, m[1])
				}
				continue
			}
			built[m[1]] = true
		}
		if outboxEach.MatchString(code) {
			built["outbox"], built["outbox-dead"] = true, true
		}
		for k := range built {
			if !declared[k] {
				t.Errorf("%s.lua touches %s but does not declare it in KEYS", name, k)
			}
		}
		for _, k := range sc.keyTemplates {
			if !built[k] && !argvRef.MatchString(k) {
				t.Errorf("%s.lua declares %s in KEYS but never builds it", name, k)
			}
		}
	}
}
