package store

import (
	"context"
	"sort"
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
