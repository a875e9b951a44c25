package store

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Every script's header states its contract in one greppable form
// (docs/design.md, script conventions):
//
//	-- KEYS[n]: the key's name after the base (ARGV[n] for an argument), then what it is
//	-- ARGV[n]: what the n-th argument is; "(unused)" or "(optional)" first
//	--   when it is passed but not read, or may be left off the end
//	-- ARGV[n..]: what the variadic tail holds
//	-- Returns: what the script answers
//
// TestScriptHeadersMatchCalls holds each header to the script's body and
// to the Go code that calls it, because a position off by one is read
// silently as another argument.

// scriptPos is one documented KEYS or ARGV position.
type scriptPos struct {
	n        int
	tail     bool // ARGV[n..]
	unused   bool
	optional bool
}

// scriptHeader is a script's documented contract.
type scriptHeader struct {
	keys    []scriptPos
	argv    []scriptPos
	returns bool
}

var headerPos = regexp.MustCompile(`^-- (KEYS|ARGV)\[(\d+)(\.\.)?\]: (.*)$`)

// parseScriptHeader reads the contract from the script's leading comment
// block and says what is malformed in it.
func parseScriptHeader(src string) (scriptHeader, []string) {
	var h scriptHeader
	var bad []string
	for _, l := range strings.Split(src, "\n") {
		if !strings.HasPrefix(l, "--") {
			break
		}
		if strings.HasPrefix(l, "-- Returns: ") {
			h.returns = true
		}
		m := headerPos.FindStringSubmatch(l)
		if m == nil {
			if strings.HasPrefix(l, "-- KEYS") || strings.HasPrefix(l, "-- ARGV") {
				bad = append(bad, "malformed header line "+strconv.Quote(l))
			}
			continue
		}
		n, _ := strconv.Atoi(m[2])
		p := scriptPos{n: n, tail: m[3] != "", unused: strings.HasPrefix(m[4], "(unused)"), optional: strings.HasPrefix(m[4], "(optional)")}
		list := &h.argv
		if m[1] == "KEYS" {
			list = &h.keys
		}
		if len(*list) > 0 && (*list)[len(*list)-1].tail {
			bad = append(bad, fmt.Sprintf("%s[%d] documented after the variadic tail", m[1], n))
		}
		if n != len(*list)+1 {
			bad = append(bad, fmt.Sprintf("%s[%d] documented out of order (expected %s[%d])", m[1], n, m[1], len(*list)+1))
		}
		if len(*list) > 0 && (*list)[len(*list)-1].optional && !p.optional && !p.tail {
			bad = append(bad, fmt.Sprintf("%s[%d] is required after an optional position", m[1], n))
		}
		*list = append(*list, p)
	}
	if !h.returns {
		bad = append(bad, `no "-- Returns: " line in the header`)
	}
	return h, bad
}

// fixed is how many positions come before the tail, and required how many
// of them a caller must pass.
func (h scriptHeader) fixed() (fixed, required int, tail bool) {
	for _, p := range h.argv {
		switch {
		case p.tail:
			tail = true
		case p.optional:
			fixed++
		default:
			fixed++
			required = fixed
		}
	}
	return fixed, required, tail
}

// scriptUse is what a script's code reads of KEYS and ARGV.
type scriptUse struct {
	keys, argv map[int]bool
	variadic   bool // #ARGV, ARGV[i], or ARGV as a table
	tailFrom   int  // the start of a `for i = N, #ARGV` loop, 0 for none
	computed   int  // ARGV[N + i]: positions after N are read by index; 0 for none
}

var (
	luaComment  = regexp.MustCompile(`(^|\s)--.*$`)
	luaFunction = regexp.MustCompile(`^(?:local )?function ([\w.]+)\(`)
	literalPos  = regexp.MustCompile(`\b(KEYS|ARGV)\[(\d+)\]`)
	computedPos = regexp.MustCompile(`\bARGV\[(\d+) \+ \w+\]`)
	variadicUse = regexp.MustCompile(`#ARGV\b|unpack\(ARGV\)|\bARGV\[[A-Za-z_]|=\s*ARGV\s*$|=\s*ARGV\b[^\[]`)
	tailLoop    = regexp.MustCompile(`\bfor \w+ = (\d+), #ARGV\b`)
	callName    = regexp.MustCompile(`\b([A-Za-z_]\w*)\(`)
)

// luaCode is src's lines without their comments.
func luaCode(src string) []string {
	var out []string
	for _, l := range strings.Split(src, "\n") {
		out = append(out, luaComment.ReplaceAllString(l, ""))
	}
	return out
}

func (u *scriptUse) read(lines []string) {
	for _, l := range lines {
		for _, m := range literalPos.FindAllStringSubmatch(l, -1) {
			n, _ := strconv.Atoi(m[2])
			if m[1] == "KEYS" {
				u.keys[n] = true
			} else {
				u.argv[n] = true
			}
		}
		if m := computedPos.FindStringSubmatch(l); m != nil {
			u.computed, _ = strconv.Atoi(m[1])
		} else if variadicUse.MatchString(l) {
			u.variadic = true
		}
		if m := tailLoop.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			if u.tailFrom == 0 || n < u.tailFrom {
				u.tailFrom = n
			}
		}
	}
}

// scriptUses is what a script reads, directly or through the helpers the
// loader gives it (luaload.go), whose code runs on every call.
func scriptUses(body string) scriptUse {
	u := scriptUse{keys: map[int]bool{}, argv: map[int]bool{}}
	for _, i := range libs.helpers(body) {
		// A helper's positions count as the script's; its loops over
		// ARGV are not the script's tail.
		helper := scriptUse{keys: u.keys, argv: u.argv}
		helper.read(luaCode(libs.blocks[i].src))
	}
	u.read(luaCode(body))
	return u
}

// goScripts reads the store's Go code: which file each script variable
// runs, and every call that runs one.
type goScript struct {
	name string
}

type goCall struct {
	script   string
	where    string
	keys     int // -1: not a literal list
	min, max int
	tail     bool // a variadic tail follows: max is unbounded
	counted  bool // false: the arguments are built where this test cannot count them
	typed    bool // the arguments are one typed call's argv()
}

func readGoScripts(t *testing.T) (map[string]goScript, []goCall) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*ast.File
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, af)
	}
	lits := func(args []ast.Expr) []string {
		var out []string
		for _, a := range args {
			if bl, ok := a.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				s, _ := strconv.Unquote(bl.Value)
				out = append(out, s)
			}
		}
		return out
	}
	returnsLen := map[string]int{} // funcs and methods returning a countable list
	returnsExpr := map[string]ast.Expr{}
	funcs := map[string]*ast.FuncDecl{} // by name, methods as Type.name
	resultType := map[string]string{}   // a func's first result's type name
	for _, af := range parsed {
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || len(fd.Body.List) == 0 {
				continue
			}
			name := fd.Name.Name
			if fd.Recv != nil {
				tn := fd.Recv.List[0].Type
				if st, ok := tn.(*ast.StarExpr); ok {
					tn = st.X
				}
				if id, ok := tn.(*ast.Ident); ok {
					name = id.Name + "." + name
				}
			}
			funcs[name] = fd
			if r := fd.Type.Results; r != nil && len(r.List) > 0 {
				if id, ok := r.List[0].Type.(*ast.Ident); ok {
					resultType[name] = id.Name
				}
			}
			// What a function ends by returning (argv() may name a
			// field first).
			ret, ok := fd.Body.List[len(fd.Body.List)-1].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			returnsExpr[name] = ret.Results[0]
			if cl, ok := ret.Results[0].(*ast.CompositeLit); ok {
				returnsLen[name] = len(cl.Elts)
			}
		}
	}
	vars := map[string]goScript{}
	for _, af := range parsed {
		ast.Inspect(af, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, v := range vs.Values {
				c, ok := v.(*ast.CallExpr)
				if !ok {
					continue
				}
				id, ok := c.Fun.(*ast.Ident)
				if !ok {
					continue
				}
				if id.Name != "script" || len(c.Args) != 1 {
					continue
				}
				l := lits(c.Args)
				if len(l) == 0 {
					continue
				}
				vars[vs.Names[i].Name] = goScript{name: l[0]}
			}
			return true
		})
	}

	var calls []goCall
	for _, af := range parsed {
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				c, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := c.Fun.(*ast.SelectorExpr)
				if !ok || len(c.Args) < 3 {
					return true
				}
				var sv ast.Expr
				switch sel.Sel.Name {
				case "Run", "Eval", "EvalSha": // script.Run(ctx, rdb, keys, args...)
					sv = sel.X
				case "run", "call": // s.batch.run(ctx, script, keys, args...), s.call(ctx, script, c, args...)
					sv = c.Args[1]
				default:
					return true
				}
				id, ok := sv.(*ast.Ident)
				if !ok {
					return true
				}
				gs, ok := vars[id.Name]
				if !ok {
					return true
				}
				call := goCall{script: gs.name, where: fset.Position(c.Pos()).String(), keys: -1}
				if cl, ok := c.Args[2].(*ast.CompositeLit); ok {
					call.keys = len(cl.Elts)
				}
				args := c.Args[3:]
				if len(args) == 1 && c.Ellipsis.IsValid() {
					if ac, ok := args[0].(*ast.CallExpr); ok {
						if as, ok := ac.Fun.(*ast.SelectorExpr); ok && as.Sel.Name == "argv" {
							call.typed = true
						}
					}
				}
				if !c.Ellipsis.IsValid() {
					call.min, call.max, call.counted = len(args), len(args), true
				} else {
					cnt := argCounter{fn: fd, returnsLen: returnsLen, returnsExpr: returnsExpr, funcs: funcs, resultType: resultType}
					call.min, call.max, call.tail, call.counted = cnt.count(args[len(args)-1])
					call.min += len(args) - 1
					call.max += len(args) - 1
				}
				calls = append(calls, call)
				return true
			})
		}
	}
	return vars, calls
}

// argCounter counts the values of an argument list built in fn.
type argCounter struct {
	fn          *ast.FuncDecl
	returnsLen  map[string]int
	returnsExpr map[string]ast.Expr
	funcs       map[string]*ast.FuncDecl
	resultType  map[string]string
	depth       int
}

// count says how many values e holds: at least min, at most max unless
// tail (a loop or a spread slice adds any number); ok is false when e is
// built where this cannot follow it.
func (a argCounter) count(e ast.Expr) (min, max int, tail, ok bool) {
	if a.depth++; a.depth > 8 {
		return 0, 0, false, false
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		return len(e.Elts), len(e.Elts), false, true
	case *ast.CallExpr:
		switch f := e.Fun.(type) {
		case *ast.Ident:
			if f.Name == "append" && len(e.Args) > 0 {
				min, max, tail, ok = a.count(e.Args[0])
				rest := len(e.Args) - 1
				if e.Ellipsis.IsValid() {
					return min, max, true, ok
				}
				return min + rest, max + rest, tail, ok
			}
			if n, found := a.returnsLen[f.Name]; found {
				return n, n, false, true
			}
			// appendFields(args, m) and the like: args, then any number more
			if fd := a.funcs[f.Name]; fd != nil && len(e.Args) > 0 && extendsAnys(fd) {
				min, max, _, ok = a.count(e.Args[0])
				return min, max, true, ok
			}
		case *ast.SelectorExpr:
			// call.argv(): the method of the type call was built as.
			if x, isIdent := f.X.(*ast.Ident); isIdent {
				if tn := a.typeOf(x.Name); tn != "" {
					if r, found := a.returnsExpr[tn+"."+f.Sel.Name]; found {
						in := a // the method's own variables
						if fd := a.funcs[tn+"."+f.Sel.Name]; fd != nil {
							in.fn = fd
						}
						return in.count(r)
					}
				}
			}
		}
	case *ast.Ident:
		return a.countVar(e.Name)
	}
	return 0, 0, false, false
}

// extendsAnys says whether fd takes a []any first and returns a []any: a
// function that adds to an argument list.
func extendsAnys(fd *ast.FuncDecl) bool {
	isAnys := func(e ast.Expr) bool {
		at, ok := e.(*ast.ArrayType)
		if !ok || at.Len != nil {
			return false
		}
		id, ok := at.Elt.(*ast.Ident)
		return ok && id.Name == "any"
	}
	p, r := fd.Type.Params.List, fd.Type.Results
	return len(p) > 0 && isAnys(p[0].Type) && r != nil && len(r.List) == 1 && isAnys(r.List[0].Type)
}

// typeOf is the type name of a variable defined in fn by a composite
// literal (call := correctCall{...}) or by a function returning the type
// first (call, err := newConfirmCall(...)).
func (a argCounter) typeOf(name string) string {
	tn := ""
	ast.Inspect(a.fn.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 {
			return true
		}
		if id, ok := as.Lhs[0].(*ast.Ident); ok && id.Name == name {
			found := ""
			switch r := as.Rhs[0].(type) {
			case *ast.CompositeLit:
				if t, ok := r.Type.(*ast.Ident); ok && len(as.Lhs) == 1 {
					found = t.Name
				}
			case *ast.CallExpr:
				if f, ok := r.Fun.(*ast.Ident); ok {
					found = a.resultType[f.Name]
				}
			}
			if tn != "" && found != tn {
				found = "?" // two types under one name: not followed
			}
			tn = found
		}
		return true
	})
	return tn
}

// countVar follows a variable through fn: its definition, then each
// append to it (one inside a loop, or through another function, adds a
// tail).
func (a argCounter) countVar(name string) (min, max int, tail, ok bool) {
	defined := false
	var walk func(n ast.Node, inLoop bool)
	walk = func(n ast.Node, inLoop bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if m == nil || m == n {
				return true
			}
			switch s := m.(type) {
			case *ast.ForStmt:
				walk(s.Body, true)
				return false
			case *ast.RangeStmt:
				walk(s.Body, true)
				return false
			case *ast.AssignStmt:
				if len(s.Lhs) != len(s.Rhs) {
					for _, l := range s.Lhs {
						if id, isIdent := l.(*ast.Ident); isIdent && id.Name == name {
							ok = false // args, err := build(...): not followed
							defined = true
						}
					}
					return true
				}
				for i, l := range s.Lhs {
					id, isIdent := l.(*ast.Ident)
					if !isIdent || id.Name != name {
						continue
					}
					if !defined {
						defined = true
						min, max, tail, ok = a.count(s.Rhs[i])
						continue
					}
					c, isCall := s.Rhs[i].(*ast.CallExpr)
					if f, isIdent := c.Fun.(*ast.Ident); isCall && isIdent && f.Name == "append" && !c.Ellipsis.IsValid() && !inLoop {
						if first, isIdent := c.Args[0].(*ast.Ident); isIdent && first.Name == name {
							max += len(c.Args) - 1
							continue
						}
					}
					tail = true
				}
			}
			return true
		})
	}
	walk(a.fn.Body, false)
	return min, max, tail, ok && defined
}

// isLib says whether file name (without .lua) is a library of helpers
// (luaload.go libFiles), which documents its helpers, not a call's contract.
func isLib(name string) bool { return contains(libFiles, name) }

func TestScriptHeadersMatchCalls(t *testing.T) {
	vars, calls := readGoScripts(t)
	byScript := map[string]goScript{}
	for _, gs := range vars {
		byScript[gs.name] = gs
	}
	entries, err := luaFiles.ReadDir("lua")
	if err != nil {
		t.Fatal(err)
	}
	headers := map[string]scriptHeader{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".lua")
		if isLib(name) {
			continue
		}
		_, ok := byScript[name]
		if !ok {
			t.Errorf("%s.lua: no Go variable runs it", name)
			continue
		}
		b, err := luaFiles.ReadFile("lua/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		h, bad := parseScriptHeader(string(b))
		for _, msg := range bad {
			t.Errorf("%s.lua: %s", name, msg)
		}
		headers[name] = h
		for _, msg := range checkScriptHeader(h, scriptUses(string(b))) {
			t.Errorf("%s.lua: %s", name, msg)
		}
	}
	checked := 0
	for _, c := range calls {
		h, ok := headers[c.script]
		if !ok {
			continue
		}
		if c.keys >= 0 {
			t.Errorf("%s: runs %s.lua with a list of keys: pass the base, the script builds its declared keys (luaScript.keys)", c.where, c.script)
		}
		if !c.typed {
			t.Errorf("%s: runs %s.lua with a list built by hand; build it with the script's typed call (X{...}.argv())", c.where, c.script)
		}
		if !c.counted {
			t.Logf("%s: %s.lua's arguments are built where this test cannot count them", c.where, c.script)
			continue
		}
		checked++
		for _, msg := range checkCallCount(h, c) {
			t.Errorf("%s: runs %s.lua with %s", c.where, c.script, msg)
		}
	}
	t.Logf("%d scripts' headers checked against their code; %d of %d Go calls counted", len(headers), checked, len(calls))
}

// checkScriptHeader compares a header with what the script reads.
func checkScriptHeader(h scriptHeader, u scriptUse) []string {
	var bad []string
	fixed, _, tail := h.fixed()
	for _, k := range []struct {
		kind string
		doc  []scriptPos
		used map[int]bool
	}{{"KEYS", h.keys, u.keys}, {"ARGV", h.argv, u.argv}} {
		var usedPos []int
		for n := range k.used {
			usedPos = append(usedPos, n)
		}
		sort.Ints(usedPos)
		for _, n := range usedPos {
			if n > len(k.doc) || (k.doc[n-1].tail && k.kind == "KEYS") {
				bad = append(bad, fmt.Sprintf("%s[%d] is read but not documented", k.kind, n))
			}
		}
		for _, p := range k.doc {
			if k.kind == "KEYS" {
				continue // declared keys are built from their names (TestScriptsDeclareTheirKeys)
			}
			read := k.used[p.n] || (k.kind == "ARGV" && u.computed > 0 && p.n > u.computed && !p.tail)
			switch {
			case p.tail:
			case p.unused && read:
				bad = append(bad, fmt.Sprintf("%s[%d] is documented (unused) but read", k.kind, p.n))
			case !p.unused && !read:
				bad = append(bad, fmt.Sprintf("%s[%d] is documented but never read (mark it (unused) if callers pass it anyway)", k.kind, p.n))
			}
		}
	}
	for n := range u.argv {
		if tail && n > fixed {
			bad = append(bad, fmt.Sprintf("ARGV[%d] is read by position inside the documented tail ARGV[%d..]", n, fixed+1))
		}
	}
	if u.variadic && !tail {
		bad = append(bad, "the script reads a variable number of ARGV but documents no tail ARGV[n..]")
	}
	if tail && !u.variadic {
		bad = append(bad, fmt.Sprintf("ARGV[%d..] is documented but the script never reads a variable number of ARGV", fixed+1))
	}
	if u.tailFrom > 0 && tail && u.tailFrom != fixed+1 {
		bad = append(bad, fmt.Sprintf("the script loops over ARGV from %d, its header's tail starts at %d", u.tailFrom, fixed+1))
	}
	return bad
}

// checkCallCount compares what a Go call passes with the header.
func checkCallCount(h scriptHeader, c goCall) []string {
	fixed, required, tail := h.fixed()
	var bad []string
	if c.min < required {
		bad = append(bad, fmt.Sprintf("as few as %d arguments; its header requires %d", c.min, required))
	}
	if !tail && c.tail {
		bad = append(bad, "a variable number of arguments; its header documents no tail")
	}
	if !c.tail && !tail && c.max > fixed {
		bad = append(bad, fmt.Sprintf("up to %d arguments; its header documents %d", c.max, fixed))
	}
	if !c.tail && tail && c.max < fixed {
		bad = append(bad, fmt.Sprintf("%d arguments; its header documents %d before the tail", c.max, fixed))
	}
	return bad
}

// TestScriptLibsDocumentHelpers: the files glued in front of scripts
// (prelude.lua and the libraries) document each helper function they
// provide, in a comment in the function's paragraph (directly above it,
// or above the tables it keeps, with no blank line between).
func TestScriptLibsDocumentHelpers(t *testing.T) {
	for _, l := range libFiles {
		b, err := luaFiles.ReadFile("lua/" + l + ".lua")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		for i, line := range lines {
			m := luaFunction.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			documented := false
			for j := i - 1; j >= 0 && strings.TrimSpace(lines[j]) != ""; j-- {
				if strings.HasPrefix(lines[j], "--") {
					documented = true
					break
				}
			}
			if !documented {
				t.Errorf("%s.lua:%d: helper %s has no comment saying what it provides", l, i+1, m[1])
			}
		}
	}
}
