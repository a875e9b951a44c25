package config

import (
	"errors"
	"fmt"
	"net"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// validateOps checks the operational fields: where to listen and that no
// duration is negative.
func (c *Config) validateOps(bad func(field, format string, args ...any)) {
	if _, port, err := net.SplitHostPort(c.Server.Addr); err != nil {
		bad("server.addr", "%q: want host:port or :port, e.g. :8080", c.Server.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("server.addr", "%q: the port must be a number from 0 to 65535", c.Server.Addr)
	}
	if c.Server.ShutdownTimeout < 0 {
		bad("server.shutdown_timeout", "must not be negative, got %s", c.Server.ShutdownTimeout)
	}
	negativeDurations(reflect.ValueOf(c).Elem(), "", bad)
}

// negativeDurations reports any negative time.Duration anywhere in the
// config, so sections other helpers add get the check for free. Fields
// checked by hand above are skipped to avoid saying it twice.
func negativeDurations(v reflect.Value, path string, bad func(field, format string, args ...any)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			negativeDurations(v.Elem(), path, bad)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			name, ok := yamlName(t.Field(i))
			if !ok {
				continue
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			negativeDurations(v.Field(i), p, bad)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			negativeDurations(v.Index(i), fmt.Sprintf("%s[%d]", path, i), bad)
		}
	case reflect.Int64:
		if v.Type() == reflect.TypeFor[time.Duration]() && v.Int() < 0 && path != "server.shutdown_timeout" {
			bad(path, "must not be negative, got %s", time.Duration(v.Int()))
		}
	}
}

// redactURLError keeps a password in the URL out of the error message.
func redactURLError(err error, url string) error {
	msg := err.Error()
	if i := strings.Index(url, "://"); i >= 0 {
		if at := strings.LastIndex(url, "@"); at > i {
			msg = strings.ReplaceAll(msg, url[i+3:at], "****")
		}
	}
	return errors.New(msg)
}

var unknownField = regexp.MustCompile(`line (\d+): field (\S+) not found in type (\S+)`)

// sectionOf names, for a Go type in a yaml error, where it sits in the file.
var sectionOf = map[string]string{
	"config.Config":    "the top level",
	"config.Redis":     "redis",
	"config.Server":    "server",
	"config.Console":   "console",
	"config.Log":       "log",
	"config.Slack":     "slack",
	"config.Discord":   "discord",
	"config.Schedules": "schedules",
	"config.Community": "communities[]",
	"bot.Theme":        "themes[]",
}

// friendlyYAML rewrites yaml.v3's "field x not found in type config.Redis"
// into "line 3: unknown field "x" in redis (check the spelling)", and its
// "cannot unmarshal !!str `ten` into int" into "line 5:
// schedules.nudge.stale_days: "ten" is not a number", finding the field in
// data, the file that was decoded. They stay in file order.
func friendlyYAML(te *yaml.TypeError, data []byte) []typeProblem {
	var doc yaml.Node
	var problems []typeProblem
	if yaml.Unmarshal(data, &doc) == nil {
		typeProblems(&doc, reflect.TypeFor[Config](), "", &problems)
	}
	name := pathNamer(problems)
	var out []typeProblem
	for _, e := range te.Errors {
		if m := unknownField.FindStringSubmatch(e); m != nil {
			where := sectionOf[m[3]]
			if where == "" {
				where = m[3]
			}
			line, _ := strconv.Atoi(m[1])
			out = append(out, typeProblem{line: line, msg: fmt.Sprintf("unknown field %q in %s (check the spelling; see config.example.yaml)", m[2], where)})
			continue
		}
		out = append(out, name(e))
	}
	return out
}
