package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// slashCommand finds a slash command in text: "/pledge", "/need list", not
// a path such as "store/pledge.go" or a URL.
var slashCommand = regexp.MustCompile(`(^|[^A-Za-z0-9_./:-])/(pledge|business|partner|need|s172|nudges|summary|digest|help|audit|report|export|community|stakeholders|as)\b`)

// TestNoSlashCommandsInStoreText: the store writes no words for people,
// and certainly none naming a command: it returns coded errors
// (bot.StoreErr) and the core words them (bot/storetext.go). Checked over
// every string literal of the store's Go files and Lua scripts; nor may
// the store's Go call bot.Errorf, which would put words back in it.
func TestNoSlashCommandsInStoreText(t *testing.T) {
	goFiles, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	n := 0
	for _, path := range goFiles {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		n++
		ast.Inspect(f, func(node ast.Node) bool {
			if sel, ok := node.(*ast.SelectorExpr); ok && sel.Sel.Name == "Errorf" {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "bot" {
					t.Errorf("%s: bot.Errorf writes words in the store; return bot.StoreErr and word the kind in bot/storetext.go", fset.Position(sel.Pos()))
				}
			}
			if lit, ok := node.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err == nil && slashCommand.MatchString(s) {
					t.Errorf("%s: %q names a command; return a bot.StoreErr kind instead", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
	}
	luaFiles, _ := filepath.Glob("lua/*.lua")
	luaString := regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'`)
	for _, path := range luaFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n++
		for i, line := range strings.Split(string(data), "\n") {
			code := line
			if j := strings.Index(code, "--"); j >= 0 { // comments may cite store/pledge.go
				code = code[:j]
			}
			for _, s := range luaString.FindAllString(code, -1) {
				if slashCommand.MatchString(s[1 : len(s)-1]) {
					t.Errorf("%s:%d: %s names a command; return a kind and its arguments instead", path, i+1, s)
				}
			}
		}
	}
	if n < 40 {
		t.Fatalf("scanned only %d files; is the test in the store directory?", n)
	}
}
