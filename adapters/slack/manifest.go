package slack

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// BotScopes are the only scopes the app asks for: slash commands, posting
// replies and notices, and opening direct messages for nudges.
var BotScopes = []string{"commands", "chat:write", "im:write"}

// ManifestOptions choose how the app reaches Pledgebot.
type ManifestOptions struct {
	BaseURL    string // https://pledgebot.example.org; required over HTTP
	SocketMode bool   // Slack delivers over a WebSocket the bot opens; no URLs
	Name       string // app name, default "Pledgebot"
	// Distribution: workspaces install the app by OAuth (SLACK_CLIENT_ID):
	// the manifest names the redirect URL and the install link. Needs BaseURL.
	Distribution bool
}

// Manifest builds the Slack app manifest (JSON). The slash commands come
// from the bot's command spec: each registered command except those reached
// through /pledgebot, plus /pledgebot itself.
func Manifest(b *bot.Bot, o ManifestOptions) ([]byte, error) {
	base := strings.TrimRight(o.BaseURL, "/")
	if !o.SocketMode || o.Distribution {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("--url must be the bot's public base URL, like https://pledgebot.example.org (got %q)", o.BaseURL)
		}
	}
	name := o.Name
	if name == "" {
		name = "Pledgebot"
	}
	endpoint := func(path string) string {
		if o.SocketMode {
			return ""
		}
		return base + path
	}
	var cmds []map[string]any
	addCmd := func(name, help, hint string) {
		c := map[string]any{"command": "/" + name, "description": clipRunes(help, 2000), "should_escape": true}
		if u := endpoint("/slack/commands"); u != "" {
			c["url"] = u
		}
		if hint != "" {
			c["usage_hint"] = clipRunes(hint, 1000)
		}
		cmds = append(cmds, c)
	}
	for _, c := range b.Commands() {
		if slices.Contains(Umbrella, c.Name) || c.Name == "pledgebot" {
			continue
		}
		addCmd(c.Name, c.Help, usageHint(c))
	}
	var umbrella []string
	for _, n := range Umbrella {
		if b.Command(n) != nil {
			umbrella = append(umbrella, n)
		}
	}
	addCmd("pledgebot", "Pledgebot: "+strings.Join(umbrella, ", "), "["+strings.Join(umbrella, "|")+"] [COMMAND]")
	if len(cmds) > 50 {
		return nil, fmt.Errorf("slack allows 50 slash commands; the bot has %d", len(cmds))
	}

	// app_uninstalled and tokens_revoked let a distributed app forget a
	// workspace's tokens (and hold its notices) when it removes the app.
	events := map[string]any{"bot_events": []string{"app_home_opened", "app_uninstalled", "tokens_revoked"}}
	inter := map[string]any{"is_enabled": true}
	if !o.SocketMode {
		events["request_url"] = endpoint("/slack/events")
		inter["request_url"] = endpoint("/slack/interactions")
	}
	m := map[string]any{
		"_metadata": map[string]any{"major_version": 1, "minor_version": 1},
		"display_information": map[string]any{
			"name":             clipRunes(name, 35),
			"description":      "Pledges from local businesses to their community, and progress against them.",
			"background_color": "#2c6e49",
		},
		"features": map[string]any{
			"app_home":       map[string]any{"home_tab_enabled": true, "messages_tab_enabled": true, "messages_tab_read_only_enabled": true},
			"bot_user":       map[string]any{"display_name": clipRunes(name, 80), "always_online": true},
			"slash_commands": cmds,
		},
		"oauth_config": map[string]any{"scopes": map[string]any{"bot": BotScopes}},
		"settings": map[string]any{
			"event_subscriptions":    events,
			"interactivity":          inter,
			"org_deploy_enabled":     false,
			"socket_mode_enabled":    o.SocketMode,
			"token_rotation_enabled": false,
		},
	}
	if o.Distribution {
		m["oauth_config"].(map[string]any)["redirect_urls"] = []string{base + "/slack/oauth/callback"}
		d := m["display_information"].(map[string]any)
		// Slack takes 140 characters; a cut link would mislead, so a long
		// base URL leaves it out (docs/slack.md gives it too).
		if desc := d["description"].(string) + " Install: " + base + "/slack/install"; len([]rune(desc)) <= 140 {
			d["description"] = desc
		}
	}
	return json.MarshalIndent(m, "", "  ")
}

// usageHint lists a command's subcommands, e.g. "add | list | show".
func usageHint(c *bot.Command) string {
	var subs []string
	for _, s := range c.Subs {
		if !s.Hidden && s.Name != "" {
			subs = append(subs, s.Name)
		}
	}
	if len(subs) == 0 {
		if len(c.Subs) == 1 {
			return strings.TrimPrefix(c.Usage(c.Subs[0]), "/"+c.Name+" ")
		}
		return ""
	}
	return strings.Join(subs, " | ") + " | help"
}
