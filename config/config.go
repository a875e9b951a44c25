// Package config reads and checks Pledgebot's YAML configuration and the
// environment variables that override it.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
	"gopkg.in/yaml.v3"
)

// Config is the whole configuration file.
type Config struct {
	Redis       Redis       `yaml:"redis"`
	Server      Server      `yaml:"server"`
	Console     Console     `yaml:"console"`
	Slack       Slack       `yaml:"slack"`
	Discord     Discord     `yaml:"discord"`
	Schedules   Schedules   `yaml:"schedules"`
	Log         Log         `yaml:"log"`
	Communities []Community `yaml:"communities"`
	Reports     Reports     `yaml:"reports"`
	Themes      []bot.Theme `yaml:"themes"`
	Audit       Audit       `yaml:"audit"`
}

// Redis says where state lives.
type Redis struct {
	URL        string    `yaml:"url"`         // REDIS_URL
	ClusterURL string    `yaml:"cluster_url"` // REDIS_CLUSTER_URL
	Sentinel   *Sentinel `yaml:"sentinel"`
	Prefix     string    `yaml:"prefix"`
}

// Sentinel names a Redis primary watched by Sentinel.
type Sentinel struct {
	MasterName string   `yaml:"master_name"`
	Addrs      []string `yaml:"addrs"`
	Password   string   `yaml:"password"` // REDIS_PASSWORD
	DB         int      `yaml:"db"`
}

// Console configures the terminal adapter.
type Console struct {
	User  string `yaml:"user"`
	Admin *bool  `yaml:"admin"`
	// ExportsDir is where the console writes export files (default
	// exports/ under the working directory).
	ExportsDir string `yaml:"exports_dir"`
}

// Log configures log/slog output.
type Log struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// Community is one business network and the workspaces it owns.
type Community struct {
	ID         string   `yaml:"id"`
	Name       string   `yaml:"name"`
	Workspaces []string `yaml:"workspaces"`
	Admins     []string `yaml:"admins"`
}

// DefaultThemes are the pledge themes from DESIGN.md, aligned with what
// councils already count: each counts in the unit of the council measure it
// mirrors, named by reference only (the National TOMs workbook is
// licensed; never copy its text). None has a proxy £ value: that is the
// council's own, set in configuration.
var DefaultThemes = []bot.Theme{
	{Key: "local-hiring", Name: "local hiring", Unit: "people (FTE)", Measure: bot.MeasureTotal,
		Council: "National TOMs: local employment (FTE)"},
	{Key: "apprenticeships", Name: "apprenticeships", Unit: "weeks of apprenticeship", Measure: bot.MeasureTotal,
		Council: "National TOMs: apprenticeship weeks"},
	{Key: "inclusive-hiring", Name: "hiring people far from work", Unit: "people (FTE)", Measure: bot.MeasureTotal,
		Council: "National TOMs: employment of people far from work (FTE)"},
	{Key: "schools", Name: "schools and work experience", Unit: "placement weeks", Measure: bot.MeasureTotal,
		Council: "National TOMs: work placements (weeks)"},
	{Key: "buy-local", Name: "buying from local suppliers", Unit: "£ local spend", Measure: bot.MeasureTotal,
		Council: "National TOMs: local supply-chain spend"},
	{Key: "fair-pay", Name: "fair pay and good work", Unit: "% staff on the real Living Wage", Measure: bot.MeasureRate,
		Council: "record only (charters)"},
	{Key: "prompt-payment", Name: "paying suppliers promptly", Unit: "% invoices paid within 30 days", Measure: bot.MeasureRate,
		Council: "record only (charters)"},
	{Key: "volunteering", Name: "staff volunteering", Unit: "hours", Measure: bot.MeasureTotal,
		Council: "National TOMs: volunteering hours"},
	{Key: "sponsorship", Name: "sponsorship and donations", Unit: "£", Measure: bot.MeasureTotal,
		Council: "National TOMs: donations and in-kind contributions"},
	{Key: "expert-help", Name: "expert help to community groups", Unit: "hours", Measure: bot.MeasureTotal,
		Council: "National TOMs: expert time to VCSEs"},
	{Key: "carbon", Name: "carbon reduction", Unit: "tonnes CO2e", Measure: bot.MeasureTotal,
		Council: "National TOMs: carbon savings"},
	{Key: "waste", Name: "waste diverted from landfill", Unit: "tonnes", Measure: bot.MeasureTotal,
		Council: "National TOMs: waste diverted from landfill"},
}

// Load reads a config file (none: defaults), applies the environment and
// checks everything. Each error names the field at fault, and every
// problem is reported, not only the first: a value of the wrong type
// (text where a number goes) is reported with the rest of the file's
// problems. A file yaml cannot parse at all gives that one error. The
// error is a *FileError.
func Load(path string) (*Config, error) {
	c := &Config{}
	var problems []error
	var typed []string // field paths whose value could not be read
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
			var te *yaml.TypeError
			if !errors.As(err, &te) {
				return nil, &FileError{File: path, Problems: []error{err}}
			}
			for _, p := range friendlyYAML(te, data) {
				problems = append(problems, errors.New(p.String()))
				if p.path != "" {
					typed = append(typed, p.path)
				}
			}
		}
	}
	c.applyEnv()
	if len(c.Themes) == 0 {
		c.Themes = DefaultThemes
	}
	if c.Redis.Prefix == "" {
		c.Redis.Prefix = "pb"
	}
	dropped := droppedItems(typed)
	for _, e := range Problems(c.Validate()) {
		e = renumber(e, dropped)
		// A field yaml could not read is left empty; saying so again as
		// "is required" would only repeat the first message.
		if !under(e, typed) {
			problems = append(problems, e)
		}
	}
	if len(problems) > 0 {
		return nil, &FileError{File: path, Problems: problems}
	}
	return c, nil
}

// FileError is what Load returns: every problem found, each naming its
// field, and the file they are in ("" when there was none).
type FileError struct {
	File     string
	Problems []error
}

// Error puts each problem on a line of its own, after the file's name.
func (e *FileError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if e.File != "" {
			b.WriteString(e.File + ": ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

func (e *FileError) Unwrap() []error { return e.Problems }

// Problems lists the problems in err one by one: a FileError's or an
// errors.Join's, or err itself.
func Problems(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

var itemPath = regexp.MustCompile(`^(.*)\[(\d+)\]$`)

// droppedItems lists, per list, the items yaml could not read at all (a
// word where a section goes): yaml.v3 leaves them out of the decoded list,
// so the items after them move up.
func droppedItems(typed []string) map[string][]int {
	out := map[string][]int{}
	for _, p := range typed {
		if m := itemPath.FindStringSubmatch(p); m != nil {
			i, _ := strconv.Atoi(m[2])
			out[m[1]] = append(out[m[1]], i)
		}
	}
	for _, is := range out {
		slices.Sort(is)
	}
	return out
}

var indexRe = regexp.MustCompile(`\[(\d+)\]`)

// renumber gives a validation error ("themes[1].name: ...") the indices
// the items have in the file, counting the items yaml left out.
func renumber(err error, dropped map[string][]int) error {
	if len(dropped) == 0 {
		return err
	}
	field, msg, ok := strings.Cut(err.Error(), ": ")
	if !ok {
		return err
	}
	var b strings.Builder
	last := 0
	for _, m := range indexRe.FindAllStringSubmatchIndex(field, -1) {
		b.WriteString(field[last:m[0]])
		i, _ := strconv.Atoi(field[m[2]:m[3]])
		for _, d := range dropped[b.String()] {
			if d <= i {
				i++
			}
		}
		fmt.Fprintf(&b, "[%d]", i)
		last = m[1]
	}
	b.WriteString(field[last:])
	if b.String() == field {
		return err
	}
	return errors.New(b.String() + ": " + msg)
}

// under reports whether a validation error ("field: message") is about one
// of paths or a field inside it.
func under(err error, paths []string) bool {
	field, _, _ := strings.Cut(err.Error(), ": ")
	for _, p := range paths {
		if field == p || strings.HasPrefix(field, p+".") || strings.HasPrefix(field, p+"[") {
			return true
		}
	}
	return false
}

var (
	communityID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	themeKey    = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	prefixRe    = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)
)

// Validate checks every field, reporting all problems at once.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if !prefixRe.MatchString(c.Redis.Prefix) {
		bad("redis.prefix", "use 1-32 letters, digits, '_', '.' or '-'")
	}
	if n := countSet(c.Redis.URL != "", c.Redis.ClusterURL != "", c.Redis.Sentinel != nil); n > 1 {
		bad("redis", "set only one of url, cluster_url and sentinel")
	}
	if c.Redis.ClusterURL != "" && !strings.HasPrefix(c.Redis.ClusterURL, "redis://") && !strings.HasPrefix(c.Redis.ClusterURL, "rediss://") {
		bad("redis.cluster_url", "must start with redis:// or rediss://")
	}
	if s := c.Redis.Sentinel; s != nil && (s.MasterName == "" || len(s.Addrs) == 0) {
		bad("redis.sentinel", "needs master_name and at least one of addrs")
	}
	c.Schedules.check(bad)
	if c.Redis.URL != "" && !strings.HasPrefix(c.Redis.URL, "redis://") && !strings.HasPrefix(c.Redis.URL, "rediss://") && !strings.HasPrefix(c.Redis.URL, "unix://") {
		bad("redis.url", "must start with redis://, rediss:// or unix://")
	} else if c.Redis.URL != "" {
		if err := checkRedisURL(c.Redis.URL); err != nil {
			bad("redis.url", "%v", redactURLError(err, c.Redis.URL))
		}
	}
	c.validateOps(bad)
	c.Slack.check(bad)
	if c.Console.User != "" && !bot.ValidUser(c.Console.User) {
		bad("console.user", "use letters, digits, '.', '_' or '-' (at most 64)")
	}
	switch c.Log.Level {
	case "", "debug", "info", "warn", "error":
	default:
		bad("log.level", "must be debug, info, warn or error, not %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "", "text", "json":
	default:
		bad("log.format", "must be text or json, not %q", c.Log.Format)
	}
	seenWS := map[string]string{}
	seenID := map[string]bool{}
	for i, cm := range c.Communities {
		f := fmt.Sprintf("communities[%d]", i)
		if !communityID.MatchString(cm.ID) {
			bad(f+".id", "%q: use 1-40 lowercase letters, digits and '-'", cm.ID)
		}
		if seenID[cm.ID] {
			bad(f+".id", "%q is used twice", cm.ID)
		}
		seenID[cm.ID] = true
		for j, w := range cm.Workspaces {
			if _, err := ParseWorkspace(w); err != nil {
				bad(fmt.Sprintf("%s.workspaces[%d]", f, j), "%v", err)
			}
			if other, dup := seenWS[w]; dup {
				bad(fmt.Sprintf("%s.workspaces[%d]", f, j), "%q already belongs to community %q", w, other)
			}
			seenWS[w] = cm.ID
		}
		for j, a := range cm.Admins {
			if _, err := bot.ParseIdentity(a); err != nil {
				bad(fmt.Sprintf("%s.admins[%d]", f, j), "%v", err)
			}
		}
	}
	seenTheme := map[string]bool{}
	for i, t := range c.Themes {
		f := fmt.Sprintf("themes[%d]", i)
		if !themeKey.MatchString(t.Key) {
			bad(f+".key", "%q: use lowercase letters, digits and '-'", t.Key)
		}
		if seenTheme[t.Key] {
			bad(f+".key", "%q is used twice", t.Key)
		}
		seenTheme[t.Key] = true
		if t.Name == "" {
			bad(f+".name", "is required")
		}
		switch t.Measure {
		case "", bot.MeasureTotal, bot.MeasureRate:
		default:
			bad(f+".measure", "must be %s or %s, not %q", bot.MeasureTotal, bot.MeasureRate, t.Measure)
		}
		if p := t.Proxy; p != nil {
			if !(p.Per > 0) {
				bad(f+".proxy.per", "must be more than 0 (how many %s the value is for)", t.Unit)
			}
			if !(p.Value > 0) {
				bad(f+".proxy.value", "must be more than 0 (the £ value the council sets)")
			}
			if strings.TrimSpace(p.Source) == "" {
				bad(f+".proxy.source", "is required: say where the value comes from (e.g. the council's social value framework)")
			}
			if p.Year < 2000 || p.Year > 2100 {
				bad(f+".proxy.year", "must be the year the value is for, e.g. 2026, not %d", p.Year)
			}
		}
	}
	errs = append(errs, c.Reports.validate()...)
	return errors.Join(errs...)
}

// ParseWorkspace reads "platform:id", e.g. "slack:T0123" or "discord:8123".
func ParseWorkspace(s string) (bot.Workspace, error) {
	p, id, ok := strings.Cut(s, ":")
	switch bot.Platform(p) {
	case bot.Slack, bot.Discord, bot.Console:
	default:
		return bot.Workspace{}, fmt.Errorf("%q: want slack:TEAM_ID, discord:GUILD_ID or console:local", s)
	}
	if !ok || !bot.ValidUser(id) {
		return bot.Workspace{}, fmt.Errorf("%q: the id after ':' is missing or has odd characters", s)
	}
	return bot.Workspace{Platform: bot.Platform(p), ID: id}, nil
}

// Tenancy builds the community map; consoleAdmin, when set, is made admin
// of whichever community owns the console.
func (c *Config) Tenancy(consoleAdmin *bot.Identity) *bot.Tenancy {
	var cs []bot.Community
	consoleClaimed := false
	for _, cm := range c.Communities {
		bc := bot.Community{ID: cm.ID, Name: cm.Name}
		for _, w := range cm.Workspaces {
			ws, _ := ParseWorkspace(w)
			bc.Workspaces = append(bc.Workspaces, ws)
			if consoleAdmin != nil && ws.Platform == consoleAdmin.Platform && ws.ID == consoleAdmin.Workspace {
				bc.Admins = append(bc.Admins, *consoleAdmin)
				consoleClaimed = true
			}
		}
		for _, a := range cm.Admins {
			id, _ := bot.ParseIdentity(a)
			bc.Admins = append(bc.Admins, id)
		}
		cs = append(cs, bc)
	}
	if consoleAdmin != nil && !consoleClaimed {
		ws := bot.Workspace{Platform: consoleAdmin.Platform, ID: consoleAdmin.Workspace}
		cs = append(cs, bot.Community{ID: string(ws.Platform) + "-" + ws.ID, Workspaces: []bot.Workspace{ws}, Admins: []bot.Identity{*consoleAdmin}})
	}
	return bot.NewTenancy(cs)
}

// ConsoleAdmin reports whether the console operator is admin (default yes).
func (c *Config) ConsoleAdmin() bool { return c.Console.Admin == nil || *c.Console.Admin }

func countSet(flags ...bool) int {
	n := 0
	for _, f := range flags {
		if f {
			n++
		}
	}
	return n
}
