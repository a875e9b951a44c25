package config

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestSlackDistributionConfig(t *testing.T) {
	clearEnv(t)
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	short := base64.StdEncoding.EncodeToString(make([]byte, 16)) // 16 bytes: AES-128's size, not ours
	tests := []struct {
		name string
		env  map[string]string
		want []string // substrings of the error; none: must load
	}{
		{"single workspace, bot token alone", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, nil},
		{"distributed, complete", map[string]string{"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "cs", "SLACK_TOKEN_KEY": key, "SLACK_SIGNING_SECRET": "s"}, nil},
		{"client id without secret", map[string]string{"SLACK_CLIENT_ID": "1.2", "SLACK_TOKEN_KEY": key, "SLACK_SIGNING_SECRET": "s"},
			[]string{"slack.client_secret: is required with slack.client_id"}},
		{"secret without client id", map[string]string{"SLACK_CLIENT_SECRET": "cs", "SLACK_TOKEN_KEY": key, "SLACK_SIGNING_SECRET": "s"},
			[]string{"slack.client_id: is required with slack.client_secret"}},
		{"no token key", map[string]string{"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "cs", "SLACK_SIGNING_SECRET": "s"},
			[]string{"slack.token_key: is required", "openssl rand -base64 32"}},
		{"key of 16 bytes", map[string]string{"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "cs", "SLACK_TOKEN_KEY": short, "SLACK_SIGNING_SECRET": "s"},
			[]string{"slack.token_key: must be 32 bytes once decoded from base64, not 16"}},
		{"key not base64", map[string]string{"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "cs", "SLACK_TOKEN_KEY": "not*base64", "SLACK_SIGNING_SECRET": "s"},
			[]string{"slack.token_key: is not base64"}},
		{"no way in", map[string]string{"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "cs", "SLACK_TOKEN_KEY": key},
			[]string{"SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := Load("")
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("want it to load, got %v", err)
				}
				if !c.HasPlatform() {
					t.Fatal("HasPlatform false")
				}
				return
			}
			if err == nil {
				t.Fatalf("loaded; want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if k := tc.env["SLACK_TOKEN_KEY"]; k != "" && strings.Contains(err.Error(), k) {
				t.Errorf("error repeats the key: %q", err)
			}
		})
	}
}
