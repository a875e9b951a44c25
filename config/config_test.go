package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExampleConfigLoads(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	c, err := Load("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Communities) != 1 || len(c.Themes) != 12 || c.Redis.Prefix != "pb" {
		t.Fatalf("unexpected: %+v", c)
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
