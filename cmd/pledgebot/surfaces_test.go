package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// Every command the router of `serve` answers is in the Slack manifest
// that `pledgebot slack-manifest` prints, in the Discord registration
// that `pledgebot discord-register` sends, and in /help: each surface as
// its own subcommand builds it, compared with the running app's router.
func TestEveryRoutedCommandIsOnEverySurface(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	a, err := openApp(context.Background(), cfg, io.Discard, slog.LevelError, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var routed []string
	for _, c := range a.bot.Commands() {
		routed = append(routed, c.Name)
	}
	slices.Sort(routed)

	var manifest bytes.Buffer
	if code := run(context.Background(), []string{"slack-manifest", "--url", "https://pledgebot.example.org"}, nil, &manifest, io.Discard); code != 0 {
		t.Fatalf("slack-manifest: exit %d", code)
	}
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command   string `json:"command"`
				UsageHint string `json:"usage_hint"`
			} `json:"slash_commands"`
		} `json:"features"`
	}
	if err := json.Unmarshal(manifest.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	// Slack reserves /help: help and roles are reached as /pledgebot help
	// and /pledgebot roles, which its usage hint lists: "[help|roles] ...".
	var inSlack []string
	for _, c := range m.Features.SlashCommands {
		if c.Command != "/pledgebot" {
			inSlack = append(inSlack, strings.TrimPrefix(c.Command, "/"))
			continue
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(c.UsageHint, "["), "]")
		inSlack = append(inSlack, strings.Split(first, "|")...)
	}

	var mu sync.Mutex
	var registered []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var cmds []struct {
			Name string `json:"name"`
		}
		json.NewDecoder(r.Body).Decode(&cmds)
		mu.Lock()
		for _, c := range cmds {
			registered = append(registered, c.Name)
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("[]"))
	}))
	defer api.Close()
	t.Setenv("DISCORD_BOT_TOKEN", "token")
	t.Setenv("DISCORD_APPLICATION_ID", "123456789012345678")
	t.Setenv("DISCORD_API_URL", api.URL+"/api/v10")
	if err := runDiscordRegister(context.Background(), "", "", io.Discard); err != nil {
		t.Fatal(err)
	}

	help := bot.PlainText(a.bot.Handle(context.Background(), bot.Request{
		From: bot.Identity{Platform: bot.Console, Workspace: "local", User: "sam"}, Command: "help"}))
	for _, surface := range []struct {
		name string
		got  []string
	}{{"Slack manifest", inSlack}, {"Discord registration", registered}} {
		slices.Sort(surface.got)
		if !slices.Equal(surface.got, routed) {
			t.Errorf("%s has %v; the router answers %v", surface.name, surface.got, routed)
		}
	}
	for _, c := range routed {
		if !strings.Contains(help, "/"+c) {
			t.Errorf("/help does not list /%s:\n%s", c, help)
		}
	}
}
