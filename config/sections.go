package config

import (
	"os"
	"time"
)

// Server configures `pledgebot serve`.
type Server struct {
	Addr            string        `yaml:"addr"`             // PLEDGEBOT_ADDR, default :8080
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"` // default 20s
}

// Slack holds the Slack app's credentials.
type Slack struct {
	SigningSecret string `yaml:"signing_secret"` // SLACK_SIGNING_SECRET
	BotToken      string `yaml:"bot_token"`      // SLACK_BOT_TOKEN
	AppToken      string `yaml:"app_token"`      // SLACK_APP_TOKEN (Socket Mode)
	APIURL        string `yaml:"api_url"`        // SLACK_API_URL
	// ClientID and ClientSecret turn on distribution: workspaces install
	// the app with "Add to Slack" (OAuth v2), each with its own bot token.
	ClientID     string `yaml:"client_id"`     // SLACK_CLIENT_ID
	ClientSecret string `yaml:"client_secret"` // SLACK_CLIENT_SECRET
	// TokenKey seals the stored bot tokens: 32 random bytes, base64.
	TokenKey string `yaml:"token_key"` // SLACK_TOKEN_KEY
}

// Distributed reports whether workspaces install the app by OAuth rather
// than sharing the one SLACK_BOT_TOKEN.
func (s Slack) Distributed() bool { return s.ClientID != "" || s.ClientSecret != "" }

// Discord holds the Discord application's credentials.
type Discord struct {
	BotToken      string `yaml:"bot_token"`      // DISCORD_BOT_TOKEN
	ApplicationID string `yaml:"application_id"` // DISCORD_APPLICATION_ID
	PublicKey     string `yaml:"public_key"`     // DISCORD_PUBLIC_KEY (hex)
	APIURL        string `yaml:"api_url"`        // DISCORD_API_URL
}

// Schedules configures the bot's own jobs. Cron specs are standard
// five-field ones read in each community's time zone.
type Schedules struct {
	Timezone string `yaml:"timezone"` // default Europe/London
	// Timezones overrides Timezone per community id.
	Timezones map[string]string `yaml:"timezones"`
	Digest    string            `yaml:"digest"` // default "0 9 * * MON"
	Nudges    string            `yaml:"nudges"` // default "0 10 * * MON-FRI"
	Lapse     string            `yaml:"lapse"`  // default "0 6 * * *"
	// Needs sends the weekly "needs near you" message to the people who
	// opted in with /nudges needs on.
	Needs string `yaml:"needs"` // default "0 9 * * MON"
	// LapseGraceDays: an active pledge this many days past due lapses.
	LapseGraceDays int `yaml:"lapse_grace_days"` // default 30
	// QuietWeeks: the digest lists businesses with no activity this long.
	QuietWeeks int   `yaml:"quiet_weeks"` // default 4
	Nudge      Nudge `yaml:"nudge"`
}

// Nudge configures the direct messages about pledges.
type Nudge struct {
	DueSoonDays     int  `yaml:"due_soon_days"`     // default 7
	DueTomorrowDays int  `yaml:"due_tomorrow_days"` // default 1
	StaleDays       int  `yaml:"stale_days"`        // default 30: no progress for this long
	Weekends        bool `yaml:"weekends"`          // nudge on Saturdays and Sundays too
	// From and Until bound the local hours nudges go out in ("HH:MM").
	From  string `yaml:"from"`  // default 09:00
	Until string `yaml:"until"` // default 18:00
}

// WithDefaults fills every unset schedule setting with its default.
func (s Schedules) WithDefaults() Schedules {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&s.Timezone, "Europe/London")
	def(&s.Digest, "0 9 * * MON")
	def(&s.Nudges, "0 10 * * MON-FRI")
	def(&s.Lapse, "0 6 * * *")
	def(&s.Needs, "0 9 * * MON")
	defInt(&s.LapseGraceDays, 30)
	defInt(&s.QuietWeeks, 4)
	defInt(&s.Nudge.DueSoonDays, 7)
	defInt(&s.Nudge.DueTomorrowDays, 1)
	defInt(&s.Nudge.StaleDays, 30)
	def(&s.Nudge.From, "09:00")
	def(&s.Nudge.Until, "18:00")
	return s
}

// applyEnv lets every secret and address come from the environment, which
// wins over the file.
func (c *Config) applyEnv() {
	for _, e := range []struct {
		name string
		dst  *string
	}{
		{"REDIS_URL", &c.Redis.URL},
		{"REDIS_CLUSTER_URL", &c.Redis.ClusterURL},
		{"PLEDGEBOT_ADDR", &c.Server.Addr},
		{"PLEDGEBOT_LOG_LEVEL", &c.Log.Level},
		{"PLEDGEBOT_LOG_FORMAT", &c.Log.Format},
		{"SLACK_SIGNING_SECRET", &c.Slack.SigningSecret},
		{"SLACK_BOT_TOKEN", &c.Slack.BotToken},
		{"SLACK_APP_TOKEN", &c.Slack.AppToken},
		{"SLACK_API_URL", &c.Slack.APIURL},
		{"SLACK_CLIENT_ID", &c.Slack.ClientID},
		{"SLACK_CLIENT_SECRET", &c.Slack.ClientSecret},
		{"SLACK_TOKEN_KEY", &c.Slack.TokenKey},
		{"DISCORD_BOT_TOKEN", &c.Discord.BotToken},
		{"DISCORD_APPLICATION_ID", &c.Discord.ApplicationID},
		{"DISCORD_PUBLIC_KEY", &c.Discord.PublicKey},
		{"DISCORD_API_URL", &c.Discord.APIURL},
		{"PLEDGEBOT_REPORT_SECRET", &c.Reports.Secret},
		{"PLEDGEBOT_PUBLIC_URL", &c.Reports.BaseURL},
	} {
		if v := os.Getenv(e.name); v != "" {
			*e.dst = v
		}
	}
	if v := os.Getenv("REDIS_PASSWORD"); v != "" && c.Redis.Sentinel != nil {
		c.Redis.Sentinel.Password = v
	}
	if c.Server.Addr == "" {
		c.Server.Addr = ":8080"
	}
	if c.Server.ShutdownTimeout == 0 {
		c.Server.ShutdownTimeout = 20 * time.Second
	}
	c.Schedules = c.Schedules.WithDefaults()
}

// HasPlatform reports whether any chat platform is configured, in which
// case plain `pledgebot` serves instead of opening the console.
func (c *Config) HasPlatform() bool {
	return c.Slack.SigningSecret != "" || c.Slack.BotToken != "" || c.Slack.AppToken != "" || c.Slack.Distributed() ||
		c.Discord.BotToken != "" || c.Discord.PublicKey != ""
}
