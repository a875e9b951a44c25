package docs_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

const module = "github.com/pledgebot/pledgebot/"

// TestPackageTable: each package in design.md's table imports (directly,
// outside the standard library) only what its last column names, so the
// core stays free of platforms and Redis and the table stays true.
func TestPackageTable(t *testing.T) {
	allowed := packageTable(t)
	if len(allowed) == 0 {
		t.Fatal("design.md has no package table")
	}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		may, ok := allowed[pkg]
		if !ok {
			continue
		}
		seen[pkg] = true
		for _, imp := range fields[1:] {
			if !standard(imp) && !within(imp, may) {
				t.Errorf("%s imports %s, which design.md's package table does not allow", pkg, imp)
			}
		}
	}
	for pkg := range allowed {
		if !seen[pkg] {
			t.Errorf("design.md's package table names %s, which go list does not know", pkg)
		}
	}
}

var tableRow = regexp.MustCompile("^\\| `([a-z/]+)` \\|.*\\| ([^|]*) \\|$")

// packageTable reads design.md's table: package -> the import paths (or
// their prefixes) it may use; a row that allows "anything" is left out.
func packageTable(t *testing.T) map[string][]string {
	data, err := os.ReadFile("design.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(data), "| package | what it is for | may import")
	table, _, _ = strings.Cut(table, "\n\n")
	allowed := map[string][]string{}
	for _, line := range strings.Split(table, "\n") {
		m := tableRow.FindStringSubmatch(line)
		if m == nil || strings.HasPrefix(m[2], "anything") {
			continue
		}
		var may []string
		for _, c := range codeSpan.FindAllString(m[2], -1) {
			p := strings.Trim(c, "`")
			if !strings.Contains(p, ".") {
				p = module + p
			}
			may = append(may, p)
		}
		allowed[m[1]] = may
	}
	return allowed
}

// standard reports whether an import path is the standard library's: its
// first element has no dot.
func standard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func within(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}
