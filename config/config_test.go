package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"

	"gopkg.in/yaml.v3"
)

// clearEnv keeps the developer's environment out of Load.
func clearEnv(t *testing.T) {
	for _, v := range []string{"REDIS_URL", "REDIS_CLUSTER_URL", "REDIS_PASSWORD", "PLEDGEBOT_ADDR", "PLEDGEBOT_LOG_LEVEL", "PLEDGEBOT_LOG_FORMAT",
		"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_API_URL", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_TOKEN_KEY",
		"DISCORD_BOT_TOKEN", "DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_API_URL"} {
		t.Setenv(v, "")
	}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pledgebot.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadValidation(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error, in order of importance; none: must load
	}{
		{"empty file", "", nil},
		{"good", `
redis: {url: "redis://:secret@127.0.0.1:6379/2", prefix: pb}
server: {addr: "127.0.0.1:9090", shutdown_timeout: 5s}
log: {level: debug, format: json}
schedules: {timezone: America/New_York}
communities:
  - id: town-1
    workspaces: [slack:T1, discord:42]
    admins: ["slack:T1:U1"]
themes: [{key: carbon, name: carbon reduction, unit: t}]
`, nil},
		{"unknown field", "redis:\n  urll: redis://x\n", []string{`line 2: unknown field "urll" in redis`}},
		{"unknown section", "metrix: {}\n", []string{`unknown field "metrix" in the top level`}},
		{"unknown community field", "communities:\n  - id: a\n    admin: [x]\n", []string{`unknown field "admin" in communities[]`}},
		{"bad timezone", "schedules: {timezone: Mars/Olympus}\n", []string{"schedules.timezone", "Mars/Olympus", "not a known time zone"}},
		{"bad community id", "communities: [{id: Town_1}]\n", []string{"communities[0].id", `"Town_1"`, "lowercase"}},
		{"duplicate community id", "communities: [{id: a}, {id: a}]\n", []string{"communities[1].id", "used twice"}},
		{"duplicate workspace", "communities: [{id: a, workspaces: [slack:T1]}, {id: b, workspaces: [slack:T1]}]\n",
			[]string{"communities[1].workspaces[0]", `"slack:T1" already belongs to community "a"`}},
		{"bad workspace platform", "communities: [{id: a, workspaces: [teams:T1]}]\n", []string{"communities[0].workspaces[0]", "slack:TEAM_ID"}},
		{"bad admin identity", "communities: [{id: a, admins: [\"slack:T1\"]}]\n", []string{"communities[0].admins[0]", "platform:workspace:user"}},
		{"bad admin characters", "communities: [{id: a, admins: [\"slack:T1:<!channel>\"]}]\n", []string{"communities[0].admins[0]", "only letters"}},
		{"bad theme key", "themes: [{key: Carbon!, name: c}]\n", []string{"themes[0].key", `"Carbon!"`}},
		{"theme without name", "themes: [{key: carbon}]\n", []string{"themes[0].name", "required"}},
		{"duplicate theme", "themes: [{key: a, name: x}, {key: a, name: y}]\n", []string{"themes[1].key", "used twice"}},
		{"theme measure and proxy", "themes: [{key: a, name: x, unit: hours, measure: rate, council: \"National TOMs: volunteering hours\", proxy: {per: 1, value: 16.94, source: council framework, year: 2026}}]\n", nil},
		{"bad theme measure", "themes: [{key: a, name: x, measure: sum}]\n", []string{"themes[0].measure", "total or rate", `"sum"`}},
		{"bad theme proxy", "themes: [{key: a, name: x}, {key: b, name: y, proxy: {per: 0, value: -1, year: 1850}}]\n",
			[]string{"themes[1].proxy.per", "themes[1].proxy.value", "themes[1].proxy.source", "themes[1].proxy.year"}},
		{"unknown proxy field", "themes: [{key: a, name: x, proxy: {pre: 1}}]\n", []string{`unknown field "pre"`}},
		{"bad log level", "log: {level: loud}\n", []string{"log.level", `not "loud"`}},
		{"bad log format", "log: {format: xml}\n", []string{"log.format", `not "xml"`}},
		{"bad redis scheme", "redis: {url: \"http://localhost:6379\"}\n", []string{"redis.url", "redis://"}},
		{"bad redis url", "redis: {url: \"redis://localhost:6379/notadb\"}\n", []string{"redis.url", "notadb"}},
		{"bad redis url hides password", "redis: {url: \"redis://:hunter2@localhost:6379/x\"}\n", []string{"redis.url"}},
		{"bad prefix", "redis: {prefix: \"a b\"}\n", []string{"redis.prefix"}},
		{"bad addr", "server: {addr: localhost}\n", []string{"server.addr", `"localhost"`}},
		{"bad port", "server: {addr: \":99999\"}\n", []string{"server.addr", "port"}},
		{"negative shutdown timeout", "server: {shutdown_timeout: -5s}\n", []string{"server.shutdown_timeout", "negative", "-5s"}},
		{"not a duration", "server: {shutdown_timeout: soon}\n", []string{"soon"}},
		{"bad console user", "console: {user: \"a b\"}\n", []string{"console.user"}},
		{"text where a number goes", "schedules:\n  nudge:\n    stale_days: ten\n",
			[]string{`line 3: schedules.nudge.stale_days: "ten" is not a number`}},
		{"fraction where a whole number goes", "themes: [{key: a, name: x, proxy: {per: 1, value: 2, source: s, year: \"2026.5\"}}]\n",
			[]string{`line 1: themes[0].proxy.year: "2026.5" is not a`}},
		{"list where a section goes", "redis: [a, b]\n", []string{"line 1: redis: a list where a section goes"}},
		{"section where a list goes", "themes: {a: b}\n", []string{"line 1: themes: a section where a list goes"}},
		{"text where a duration goes", "server:\n  shutdown_timeout: soon\n",
			[]string{`line 2: server.shutdown_timeout: "soon" is not a duration`}},
		{"list where text goes", "server: {addr: [x]}\nlog: {level: [1]}\n",
			[]string{"line 1: server.addr: a list where text goes", "line 2: log.level: a list where text goes"}},
		{"text where a community goes", "communities: [x, {id: a, workspaces: y}]\n",
			[]string{`line 1: communities[0]: "x" where a section goes`, `line 1: communities[1].workspaces: "y" where a list goes`}},
		{"not a bool", "console: {admin: maybe}\n", []string{`line 1: console.admin: "maybe" is not true or false`}},
		{"list where a map goes", "schedules:\n  timezones: [a]\n", []string{"line 2: schedules.timezones: a list where a section"}},
		{"unknown field and type error in file order", "log: {level: [1]}\nredis: {urll: x}\n",
			[]string{"line 1: log.level: a list where text goes\n%FILE%: line 2: unknown field \"urll\" in redis"}},
		{"bad digest spec", "schedules: {digest: \"0 9 * *\"}\n",
			[]string{`schedules.digest: "0 9 * *" is not a five-field cron spec (e.g. "0 9 * * MON")`}},
		{"bad nudges spec", "schedules: {nudges: every weekday}\n", []string{`schedules.nudges: "every weekday" is not a five-field cron spec`}},
		{"bad needs spec", "schedules: {needs: weekly}\n", []string{`schedules.needs: "weekly" is not a five-field cron spec`}},
		{"cron spec with its own zone", "schedules: {lapse: \"CRON_TZ=UTC 0 6 * * *\"}\n", []string{"schedules.lapse:"}},
		{"cron descriptor", "schedules: {digest: \"@every 0s\"}\n", []string{`schedules.digest: "@every 0s" is not a five-field cron spec`}},
		{"bad community time zone", "schedules: {timezones: {town: Mars/Base}}\n", []string{`schedules.timezones.town: "Mars/Base" is not a known time zone`}},
		{"bad community in time zones", "schedules: {timezones: {\"a}:{b\": Europe/Paris}}\n", []string{`schedules.timezones: "a}:{b" is not a community id`}},
		{"bad nudge hour", "schedules: {nudge: {from: 9am}}\n", []string{`schedules.nudge.from: "9am": want HH:MM`}},
		{"nudge hours backwards", "schedules: {nudge: {from: \"18:00\", until: \"09:00\"}}\n", []string{`schedules.nudge.until: "09:00" must be after schedules.nudge.from ("18:00")`}},
		{"day counts out of range", "schedules: {quiet_weeks: 60, lapse_grace_days: -1, nudge: {stale_days: 400}}\n",
			[]string{"schedules.lapse_grace_days: must be from 0 to 366 days", "schedules.quiet_weeks: must be from 0 to 52 weeks", "schedules.nudge.stale_days: must be from 0 to 366 days, not 400"}},
		{"items after unreadable ones keep their place", "themes: [x, [y], {key: c, name: n}, {key: d}]\n",
			[]string{`themes[0]: "x" where a section goes`, "themes[1]: a list where a section goes", "themes[3].name: is required"}},
		{"several problems at once", "log: {level: loud}\nschedules: {timezone: Nowhere}\n", []string{"log.level", "schedules.timezone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.yaml)
			cfg, err := Load(path)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("loaded %+v, want an error mentioning %q", cfg, tt.want)
			}
			if !strings.HasPrefix(err.Error(), path+": ") {
				t.Errorf("error does not name the file: %v", err)
			}
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "%FILE%", path)
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks the Redis password: %v", err)
			}
		})
	}
}

// TestLoadReportsEveryProblem: a value yaml cannot read does not hide the
// file's other problems, each is on a line of its own after the file's
// name, and a field that could not be read is not also called missing.
func TestLoadReportsEveryProblem(t *testing.T) {
	clearEnv(t)
	path := writeFile(t, `schedules:
  digest: "0 9 * *"
  nudge: {stale_days: ten}
log: {level: loud}
themes:
  - just-a-word
  - {key: b}
`)
	_, err := Load(path)
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a *FileError, got %T: %v", err, err)
	}
	var got []string
	for _, p := range fe.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		`line 3: schedules.nudge.stale_days: "ten" is not a number`,
		`line 6: themes[0]: "just-a-word" where a section goes (indented name: value lines)`,
		`schedules.digest: "0 9 * *" is not a five-field cron spec (e.g. "0 9 * * MON")`,
		`log.level: must be debug, info, warn or error, not "loud"`,
		`themes[1].name: is required`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.HasPrefix(line, path+": ") {
			t.Errorf("line does not name the file: %q", line)
		}
	}
	if n := len(Problems(err)); n != len(want) {
		t.Errorf("Problems gives %d, want %d", n, len(want))
	}
}

// TestNegativeDurationAnywhere covers durations in sections added later:
// the check walks the whole struct.
func TestNegativeDurationAnywhere(t *testing.T) {
	type inner struct {
		Every durationAlias `yaml:"every"`
	}
	var errs []string
	bad := func(field, format string, args ...any) { errs = append(errs, field) }
	v := struct {
		Jobs []inner `yaml:"jobs"`
	}{Jobs: []inner{{Every: 1}, {Every: -1}}}
	negativeDurations(reflect.ValueOf(v), "", bad)
	if len(errs) != 1 || errs[0] != "jobs[1].every" {
		t.Fatalf("got %v, want [jobs[1].every]", errs)
	}
}

func TestLoadEnvironmentWins(t *testing.T) {
	clearEnv(t)
	t.Setenv("PLEDGEBOT_ADDR", "127.0.0.1:7000")
	t.Setenv("PLEDGEBOT_LOG_FORMAT", "json")
	cfg, err := Load(writeFile(t, "server: {addr: \":8080\"}\nlog: {format: text}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Addr != "127.0.0.1:7000" || cfg.Log.Format != "json" {
		t.Fatalf("env did not override the file: addr %q, format %q", cfg.Server.Addr, cfg.Log.Format)
	}
	t.Setenv("PLEDGEBOT_LOG_LEVEL", "chatty")
	if _, err := Load(""); err == nil || !strings.Contains(err.Error(), "log.level") {
		t.Fatalf("bad level from env: got %v", err)
	}
}

// TestExampleConfig loads config.example.yaml and checks that it names
// every field of Config with a comment, so the example stays the
// reference when fields are added.
func TestExampleConfig(t *testing.T) {
	clearEnv(t)
	const path = "../config.example.yaml"
	cfg, err := Load(path)
	if err != nil {
		t.Fatalf("config.example.yaml does not load: %v", err)
	}
	if cfg.HasPlatform() {
		t.Error("the example must not switch on a platform with placeholder credentials")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	present := map[string]bool{}
	commented := map[string]bool{}
	walkYAML(doc.Content[0], "", false, present, commented)
	for _, field := range yamlFields(reflect.TypeFor[Config](), "") {
		// A section that is off by default (a nil pointer, e.g.
		// redis.sentinel: null) shows its fields in commented-out lines.
		if parent, name, ok := cutLast(field); ok && present[parent] && !present[field] && commentShows(&doc, name) {
			continue
		}
		if !present[field] {
			t.Errorf("config.example.yaml does not show %s", field)
		} else if !commented[field] {
			t.Errorf("config.example.yaml shows %s without a comment explaining it", field)
		}
	}
}

func cutLast(path string) (parent, name string, ok bool) {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "", "", false
	}
	return path[:i], path[i+1:], true
}

// commentShows reports whether some comment in the document has a
// commented-out "name:" line.
func commentShows(n *yaml.Node, name string) bool {
	for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		for _, line := range strings.Split(c, "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, "# "), name+":") {
				return true
			}
		}
	}
	for _, k := range n.Content {
		if commentShows(k, name) {
			return true
		}
	}
	return false
}

// walkYAML records every key path in the document and whether a comment
// explains it: its own, or, inside a list, the comment at the list's head
// (a list's items share one explanation).
func walkYAML(n *yaml.Node, path string, inherited bool, present, commented map[string]bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			has := inherited || k.HeadComment != "" || k.LineComment != "" || v.LineComment != ""
			present[p] = true
			commented[p] = commented[p] || has
			walkYAML(v, p, false, present, commented)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			walkYAML(item, path+"[]", item.HeadComment != "" || commented[path], present, commented)
		}
	}
}

// yamlFields lists the key paths of a struct type, lists as "name[]".
func yamlFields(t reflect.Type, path string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeFor[durationAlias]() {
		return nil
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		p := name
		if path != "" {
			p = path + "." + name
		}
		out = append(out, p)
		ft := f.Type
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.String {
			out = append(out, yamlFields(ft.Elem(), p+"[]")...)
		} else {
			out = append(out, yamlFields(ft, p)...)
		}
	}
	return out
}

type durationAlias = time.Duration

func TestExampleConfigLoads(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	c, err := Load("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Communities) != 1 || len(c.Themes) != 12 || c.Redis.Prefix != "pb" {
		t.Fatalf("unexpected: %+v", c)
	}
	// The example shows the defaults as they are.
	if !reflect.DeepEqual(c.Themes, DefaultThemes) {
		t.Errorf("config.example.yaml's themes differ from DefaultThemes:\n%+v\n%+v", c.Themes, DefaultThemes)
	}
}

func TestDefaultThemes(t *testing.T) {
	rates := map[string]bool{"fair-pay": true, "prompt-payment": true}
	for _, th := range DefaultThemes {
		if want := map[bool]string{true: bot.MeasureRate, false: bot.MeasureTotal}[rates[th.Key]]; th.Measure != want {
			t.Errorf("%s: measure %q, want %q", th.Key, th.Measure, want)
		}
		if th.Council == "" || th.Proxy != nil {
			t.Errorf("%s: council %q, proxy %v: want a council reference and no proxy", th.Key, th.Council, th.Proxy)
		}
	}
}

func TestValidation(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown field", "redis:\n  urll: x\n", "urll"},
		{"bad community id", "communities:\n  - id: Bad Id\n", "communities[0].id"},
		{"duplicate workspace", "communities:\n  - id: a\n    workspaces: [slack:T1]\n  - id: b\n    workspaces: [slack:T1]\n", "already belongs"},
		{"bad workspace", "communities:\n  - id: a\n    workspaces: [irc:x]\n", "communities[0].workspaces[0]"},
		{"bad admin", "communities:\n  - id: a\n    admins: [alice]\n", "communities[0].admins[0]"},
		{"bad theme key", "themes:\n  - {key: Bad Key, name: x}\n", "themes[0].key"},
		{"theme without name", "themes:\n  - {key: ok}\n", "themes[0].name"},
		{"bad log level", "log:\n  level: loud\n", "log.level"},
		{"bad redis url", "redis:\n  url: http://x\n", "redis.url"},
		{"bad timezone", "schedules:\n  timezone: Mars/Olympus\n", "schedules.timezone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("REDIS_URL", "")
			path := filepath.Join(t.TempDir(), "c.yaml")
			os.WriteFile(path, []byte(tc.yaml), 0o600)
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

func TestEnvironmentWins(t *testing.T) {
	t.Setenv("REDIS_URL", "redis://127.0.0.1:6390/2")
	t.Setenv("SLACK_SIGNING_SECRET", "s3cret")
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("redis:\n  url: redis://elsewhere:6379\n"), 0o600)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Redis.URL != "redis://127.0.0.1:6390/2" || c.Slack.SigningSecret != "s3cret" || !c.HasPlatform() {
		t.Fatalf("env not applied: %+v", c)
	}
}
