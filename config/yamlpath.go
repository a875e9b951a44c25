package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// A typeProblem is a value in the file that cannot go where it is: text
// where a number goes, a list where a section goes. yaml.v3 reports these
// by line and Go type only ("cannot unmarshal !!str `ten` into int"); the
// walk below finds the same values by walking the file's node tree beside
// the Config type, so each can be named by its field path.
type typeProblem struct {
	line int
	path string
	msg  string
}

// typeProblems walks n (decoded into t at path) and lists every value that
// yaml.v3 would refuse, in file order.
func typeProblems(n *yaml.Node, t reflect.Type, path string, out *[]typeProblem) {
	typeProblemsDepth(n, t, path, out, 0)
}

func typeProblemsDepth(n *yaml.Node, t reflect.Type, path string, out *[]typeProblem, depth int) {
	if n == nil || depth > 64 {
		return
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) > 0 {
			typeProblemsDepth(n.Content[0], t, path, out, depth+1)
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		typeProblemsDepth(n.Alias, t, path, out, depth+1)
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // leaves the field at its zero value
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func(format string, args ...any) {
		name := path
		if name == "" {
			name = "the top level"
		}
		*out = append(*out, typeProblem{line: n.Line, path: name, msg: fmt.Sprintf(format, args...)})
	}
	if t == reflect.TypeFor[time.Duration]() {
		if n.Kind != yaml.ScalarNode || n.Decode(new(time.Duration)) != nil {
			bad("%s is not a duration (e.g. 30s, 5m, 720h)", found(n))
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			bad("%s where a section goes (indented name: value lines)", found(n))
			return
		}
		fields := fieldsByYAMLName(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if f, ok := fields[k]; ok {
				typeProblemsDepth(n.Content[i+1], f.Type, join(path, k), out, depth+1)
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			bad("%s where a section of name: value lines goes", found(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			typeProblemsDepth(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value), out, depth+1)
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			bad("%s where a list goes", found(n))
			return
		}
		for i, item := range n.Content {
			typeProblemsDepth(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), out, depth+1)
		}
	default:
		if n.Kind == yaml.ScalarNode && n.Decode(reflect.New(t).Interface()) == nil {
			return
		}
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if _, err := strconv.ParseFloat(n.Value, 64); err == nil && n.Kind == yaml.ScalarNode {
				bad("%s is not a whole number", found(n))
			} else {
				bad("%s is not a number", found(n))
			}
		case reflect.Float32, reflect.Float64:
			bad("%s is not a number", found(n))
		case reflect.Bool:
			bad("%s is not true or false", found(n))
		case reflect.String:
			bad("%s where text goes", found(n))
		default:
			bad("%s cannot be read as %s", found(n), t)
		}
	}
}

// found describes a node as the person who wrote it sees it.
func found(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a section"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// fieldsByYAMLName maps a struct's yaml names to its fields, as yaml.v3 names
// them (the tag, or the lowercased field name).
func fieldsByYAMLName(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		if name, ok := yamlName(t.Field(i)); ok {
			out[name] = t.Field(i)
		}
	}
	return out
}

// yamlName is a field's name in the file as yaml.v3 reads it (the tag, or
// the lowercased field name); false for fields yaml.v3 skips.
func yamlName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return "", false
	}
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	return name, true
}

var yamlLine = regexp.MustCompile(`^line (\d+): `)

// pathNamer rewrites yaml.v3's type errors, which name a line and a Go
// type, into ones that name the field: "line 3: schedules.nudge.stale_days:
// "ten" is not a number". Each error takes the next unclaimed problem the
// walk found on its line; one the walk did not explain keeps yaml's words.
func pathNamer(problems []typeProblem) func(yamlErr string) typeProblem {
	used := make([]bool, len(problems))
	return func(e string) typeProblem {
		m := yamlLine.FindStringSubmatch(e)
		if m == nil {
			return typeProblem{msg: e}
		}
		line, _ := strconv.Atoi(m[1])
		for i, p := range problems {
			if !used[i] && p.line == line {
				used[i] = true
				return p
			}
		}
		return typeProblem{line: line, msg: strings.TrimPrefix(e, m[0])}
	}
}

func (p typeProblem) String() string {
	s := p.msg
	if p.path != "" {
		s = p.path + ": " + s
	}
	if p.line > 0 {
		s = fmt.Sprintf("line %d: %s", p.line, s)
	}
	return s
}
