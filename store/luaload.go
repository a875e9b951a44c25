package store

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// The one loader of the store's Lua. Every script, in lua/NAME.lua, is
// sent with the helpers it uses in front of it, and no others: Redis runs
// a script's whole top level on every call, defining each helper and
// table again, and the prelude and libraries together (about 1,400 lines)
// cost about 11 us a call where an empty script costs 3.
//
// The helpers live in the library files (libFiles): prelude.lua, shared by
// all, and the libraries for the figures, partners' questions and s172
// decisions. Each file is read as a list of top-level blocks: a block
// starts at a line "local ..." in the first column, with the comment
// directly above it, and runs to the next; lines in the first column that
// do not start with "local" (an "end", a loop filling a table) belong to
// the block above. A block defines the names its first line declares and
// uses the names of earlier blocks its code mentions. A script gets the
// blocks its own code names, the blocks those name, and so on, in the
// order of the files.
//
// One block is special: the prelude's redis wrapper (the block defining
// "redis"), which translates pledge hashes' field names (pledge_short) and
// keeps businesses' people as fields of their hash (folded_call). A script
// includes it when its file or any helper it includes names those keys
// (needsWrapper), and otherwise calls Redis directly: no other key needs it.

// libFiles are the files of helpers, in the order their blocks are glued.
var libFiles = []string{"prelude", "figures", "ask", "s172_lib"}

// luaBlock is one top-level definition of a library file.
type luaBlock struct {
	file    string
	src     string   // with its leading comment
	code    string   // src without comments and strings
	text    string   // src without comments
	sent    string   // src without its comment lines, as sent to Redis
	defines []string // the names its first line declares
	uses    []int    // the earlier blocks it names
}

// luaLibs is every library's blocks, in glue order, and the block that
// defines each name.
type luaLibs struct {
	blocks  []luaBlock
	definer map[string]int
	wrapper int // the redis wrapper's block
}

var libs = parseLibs()

var (
	localFunc  = regexp.MustCompile(`^local function ([A-Za-z_]\w*)`)
	localNames = regexp.MustCompile(`^local ([A-Za-z_][\w, ]*?)\s*(=|$)`)
)

func parseLibs() luaLibs {
	l := luaLibs{definer: map[string]int{}, wrapper: -1}
	for _, f := range libFiles {
		b, err := luaFiles.ReadFile("lua/" + f + ".lua")
		if err != nil {
			panic(err)
		}
		lines := strings.Split(string(b), "\n")
		var cur *luaBlock
		var curLines []string
		flush := func() {
			if cur != nil {
				cur.src = strings.Join(curLines, "\n")
				l.blocks = append(l.blocks, *cur)
			}
			cur, curLines = nil, nil
		}
		for i := 0; i < len(lines); i++ {
			line := lines[i]
			if !strings.HasPrefix(line, "local ") {
				if cur != nil {
					curLines = append(curLines, line)
				}
				continue
			}
			// the comment directly above belongs to this block, not the last
			var comment []string
			for len(curLines) > 0 && strings.HasPrefix(curLines[len(curLines)-1], "--") {
				comment = append([]string{curLines[len(curLines)-1]}, comment...)
				curLines = curLines[:len(curLines)-1]
			}
			if cur == nil { // the file's first block: its comment is above any block
				for j := i - 1; j >= 0 && strings.HasPrefix(lines[j], "--"); j-- {
					comment = append([]string{lines[j]}, comment...)
				}
			}
			flush()
			cur = &luaBlock{file: f, defines: declared(line)}
			if len(cur.defines) == 0 {
				panic("lua/" + f + ".lua: cannot read the names declared by " + line)
			}
			curLines = append(comment, line)
		}
		flush()
	}
	for i := range l.blocks {
		b := &l.blocks[i]
		b.code, b.text = luaCodeOnly(b.src, false), luaCodeOnly(b.src, true)
		var sent []string
		for _, line := range strings.Split(b.src, "\n") {
			if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
				sent = append(sent, line)
			}
		}
		b.sent = strings.Join(sent, "\n")
		b.uses = l.named(b.code) // definer holds the earlier blocks only
		for _, n := range b.defines {
			if _, dup := l.definer[n]; dup {
				panic("lua/" + b.file + ".lua: " + n + " is defined twice in the libraries")
			}
			l.definer[n] = i
			if n == "redis" {
				l.wrapper = i
			}
		}
	}
	if l.wrapper < 0 {
		panic("lua/prelude.lua defines no redis wrapper")
	}
	return l
}

// declared is the names a block's first line declares.
func declared(line string) []string {
	if m := localFunc.FindStringSubmatch(line); m != nil {
		return []string{m[1]}
	}
	m := localNames.FindStringSubmatch(line)
	if m == nil {
		return nil
	}
	var out []string
	for _, n := range strings.Split(m[1], ",") {
		out = append(out, strings.TrimSpace(n))
	}
	return out
}

// named is the blocks code names, in the order named.
func (l luaLibs) named(code string) []int {
	seen := map[int]bool{}
	var out []int
	for _, id := range luaNames(code) {
		if i, ok := l.definer[id]; ok && !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}

func contains[T comparable](list []T, s T) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// helpers is the blocks a script of source src includes, in glue order.
func (l luaLibs) helpers(src string) []int {
	in := map[int]bool{}
	var visit func(i int)
	visit = func(i int) {
		if in[i] {
			return
		}
		in[i] = true
		for _, j := range l.blocks[i].uses {
			if j != l.wrapper {
				visit(j)
			}
		}
	}
	callsRedis := false
	for _, i := range l.named(luaCodeOnly(src, false)) {
		if i == l.wrapper {
			callsRedis = true
		} else {
			visit(i)
		}
	}
	wrapped := needsWrapper(luaCodeOnly(src, true)) || needsWrapper(keysHeader(src))
	for i := range in {
		wrapped = wrapped || needsWrapper(l.blocks[i].text)
		callsRedis = callsRedis || contains(l.blocks[i].uses, l.wrapper)
	}
	if wrapped && callsRedis {
		visit(l.wrapper)
	}
	out := make([]int, 0, len(in))
	for i := range in {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

// needsWrapper says whether code names a key the wrapper translates: a
// pledge's hash, pledge:N; the people and pledges of a business,
// business:N:members, :joined, :past and :pledges, which the wrapper keeps
// as fields of business:N (folded_call). Every script builds
// those keys from these literals, or is given them in KEYS. (A partner's
// and a need's :members, :joined and :pledges carry it too, which costs a
// call a few microseconds and nothing else.)
func needsWrapper(code string) bool {
	return strings.Contains(code, "pledge:") || strings.Contains(code, ":members") ||
		strings.Contains(code, ":joined") || strings.Contains(code, ":past") || strings.Contains(code, ":pledges")
}

// keysHeader is the KEYS lines of a script's header.
func keysHeader(src string) string {
	var out []string
	for _, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(l, "-- KEYS[") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// assemble is script name's source as sent to Redis: the helpers it uses
// (without their comments, which are read here, in lua/), then the
// script's own file.
func assemble(name string) string {
	src := scriptSource(name)
	var parts []string
	for _, i := range libs.helpers(src) {
		parts = append(parts, libs.blocks[i].sent)
	}
	return strings.Join(append(parts, src), "\n")
}

// scriptSource is lua/NAME.lua.
func scriptSource(name string) string {
	b, err := luaFiles.ReadFile("lua/" + name + ".lua")
	if err != nil {
		panic(err)
	}
	return string(b)
}

// A luaScript is a script with its declared keys: the header's KEYS lines
// (docs/design.md, script conventions) are templates, the first word of
// each, naming the key after the community's key base (pb:{c42}:), with
// ARGV[n] standing for the n-th argument ("business:ARGV[4]"); "(whole)"
// is a key the caller gives whole (the Slack installation's, outside any
// community). The store passes the base and the arguments; the script
// gets every key its header declares, built in one place (keys).
type luaScript struct {
	*redis.Script
	name         string
	keyTemplates []string
}

var argvRef = regexp.MustCompile(`ARGV\[(\d+)\]`)

// keys is the script's KEYS for a call on the community whose key base is
// base (or, for a "(whole)" key, the key itself) with arguments args.
func (sc *luaScript) keys(base string, args []any) []string {
	out := make([]string, len(sc.keyTemplates))
	for i, t := range sc.keyTemplates {
		if t == "(whole)" {
			out[i] = base
			continue
		}
		out[i] = base + argvRef.ReplaceAllStringFunc(t, func(m string) string {
			n, _ := strconv.Atoi(argvRef.FindStringSubmatch(m)[1])
			if n < 1 || n > len(args) {
				panic("store: " + sc.name + ".lua declares key " + t + " but is called with " + strconv.Itoa(len(args)) + " arguments")
			}
			return fmt.Sprint(args[n-1])
		})
	}
	return out
}

// Run runs the script (EVALSHA, then EVAL if Redis does not know it) with
// its declared keys.
func (sc *luaScript) Run(ctx context.Context, c redis.Scripter, base string, args ...any) *redis.Cmd {
	return sc.Script.Run(ctx, c, sc.keys(base, args), args...)
}

// Eval sends the script's source with its declared keys (a pipeline,
// which cannot load a missing script).
func (sc *luaScript) Eval(ctx context.Context, c redis.Scripter, base string, args ...any) *redis.Cmd {
	return sc.Script.Eval(ctx, c, sc.keys(base, args), args...)
}

// EvalSha runs the script by its digest with its declared keys.
func (sc *luaScript) EvalSha(ctx context.Context, c redis.Scripter, base string, args ...any) *redis.Cmd {
	return sc.Script.EvalSha(ctx, c, sc.keys(base, args), args...)
}

// call runs the script on community c through the batcher (batch.go).
func (s *Store) call(ctx context.Context, sc *luaScript, c string, args ...any) *redis.Cmd {
	return s.batch.run(ctx, sc.Script, sc.keys(s.base(c), args), args...)
}

// allScripts is every script the store runs, by file name, for
// LoadScripts and the tests.
var allScripts = map[string]*luaScript{}

// script is the script in lua/NAME.lua, with its helpers (assemble) and
// its declared keys.
func script(name string) *luaScript {
	if _, dup := allScripts[name]; dup {
		panic("store: script " + name + " defined twice")
	}
	src := scriptSource(name)
	sc := &luaScript{Script: redis.NewScript(assemble(name)), name: name}
	for _, l := range strings.Split(src, "\n") {
		if !strings.HasPrefix(l, "--") {
			break
		}
		if rest, ok := strings.CutPrefix(l, "-- KEYS["); ok {
			_, desc, _ := strings.Cut(rest, "]: ")
			t, _, _ := strings.Cut(desc, " ")
			sc.keyTemplates = append(sc.keyTemplates, t)
		}
	}
	if len(sc.keyTemplates) == 0 {
		panic("store: " + name + ".lua declares no KEYS")
	}
	allScripts[name] = sc
	return sc
}

// luaCodeOnly is src without its comments and, unless keepStrings, the
// contents of its strings (each left empty), so that only code
// names count.
func luaCodeOnly(src string, keepStrings bool) string {
	var b strings.Builder
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case c == '\'' || c == '"':
			q, from := c, i
			for i++; i < len(src) && src[i] != q; i++ {
				if src[i] == '\\' {
					i++
				}
			}
			if keepStrings {
				b.WriteString(src[from:min(i+1, len(src))])
			} else {
				b.WriteString("''")
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var luaIdent = regexp.MustCompile(`(\.\.|[.:])?\s*([A-Za-z_]\w*)`)

// luaNames is the names code reads or writes as variables, not as fields
// (t.name, t:name()).
func luaNames(code string) []string {
	var out []string
	for _, m := range luaIdent.FindAllStringSubmatch(code, -1) {
		if m[1] == "." || m[1] == ":" {
			continue
		}
		out = append(out, m[2])
	}
	return out
}
