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
}

// Discord holds the Discord application's credentials.
type Discord struct {
	BotToken      string `yaml:"bot_token"`      // DISCORD_BOT_TOKEN
	ApplicationID string `yaml:"application_id"` // DISCORD_APPLICATION_ID
	PublicKey     string `yaml:"public_key"`     // DISCORD_PUBLIC_KEY (hex)
	APIURL        string `yaml:"api_url"`        // DISCORD_API_URL
}

// Schedules configures the bot's own jobs.
type Schedules struct {
	Timezone string `yaml:"timezone"` // default Europe/London
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
	if c.Schedules.Timezone == "" {
		c.Schedules.Timezone = "Europe/London"
	}
}

// HasPlatform reports whether any chat platform is configured, in which
// case plain `pledgebot` serves instead of opening the console.
func (c *Config) HasPlatform() bool {
	return c.Slack.SigningSecret != "" || c.Slack.BotToken != "" || c.Slack.AppToken != "" ||
		c.Discord.BotToken != "" || c.Discord.PublicKey != ""
}
