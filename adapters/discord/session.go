package discord

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// NewSession builds the discordgo session. token may be empty (HTTP
// interactions only: webhook edits need no bot token). apiURL, when set,
// points REST at another base: discordgo fixes its endpoint URLs at start-up,
// so the session's HTTP transport rewrites each request instead.
func NewSession(token, apiURL string, base http.RoundTripper) (*discordgo.Session, error) {
	if token != "" && !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, err
	}
	if base == nil {
		base = http.DefaultTransport
	}
	if apiURL != "" {
		u, err := url.Parse(apiURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("DISCORD_API_URL %q: want an http(s) URL such as http://127.0.0.1:8081/api/v10", apiURL)
		}
		base = &rewrite{base: u, next: base}
	}
	s.Client = &http.Client{Transport: base, Timeout: s.Client.Timeout}
	// Interactions reach a gateway bot whatever its intents, and replies go
	// through REST: ask for no events at all, so Discord sends none.
	s.Identify.Intents = discordgo.IntentsNone
	return s, nil
}

// rewrite sends requests for discord.com's API to another base URL: the
// scheme and host are replaced, and a path in the base replaces discordgo's
// "/api/vN" prefix.
type rewrite struct {
	base *url.URL
	next http.RoundTripper
}

func (t *rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	api, err := url.Parse(discordgo.EndpointAPI)
	if err != nil || r.URL.Host != api.Host {
		return t.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	path := r.URL.Path
	if p := strings.TrimSuffix(t.base.Path, "/"); p != "" {
		path = p + "/" + strings.TrimPrefix(path, strings.TrimSuffix(api.Path, "/")+"/")
	}
	r.URL.Scheme, r.URL.Host, r.URL.Path, r.URL.RawPath = t.base.Scheme, t.base.Host, path, ""
	r.Host = t.base.Host
	return t.next.RoundTrip(r)
}

// Register replaces the application's commands with one bulk overwrite PUT:
// globally, or in one guild when guild is set (instant, for testing).
func Register(ctx context.Context, s *discordgo.Session, appID, guild string, cmds []*discordgo.ApplicationCommand) ([]*discordgo.ApplicationCommand, error) {
	if !isSnowflake(appID) {
		return nil, fmt.Errorf("DISCORD_APPLICATION_ID %q: want the application's numeric id", appID)
	}
	if guild != "" && !isSnowflake(guild) {
		return nil, fmt.Errorf("--guild %q: want the server's numeric id", guild)
	}
	return s.ApplicationCommandBulkOverwrite(appID, guild, cmds, discordgo.WithContext(ctx))
}

// onInteraction is the gateway's InteractionCreate handler.
func (a *Adapter) onInteraction(ctx context.Context) func(*discordgo.Session, *discordgo.InteractionCreate) {
	return func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		if ic == nil || ic.Interaction == nil {
			return
		}
		a.Interact(ctx, ic.Interaction, func(r *discordgo.InteractionResponse) error {
			return s.InteractionRespond(ic.Interaction, r, discordgo.WithContext(ctx))
		})
	}
}
