package config

import (
	"os"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary files to Load: it must return a config or an
// error naming the file, never panic, and never echo a Redis password.
func FuzzLoad(f *testing.F) {
	example, _ := os.ReadFile("../config.example.yaml")
	for _, seed := range []string{
		string(example),
		"redis: {url: \"redis://:hunter2@h:1/x\"}\n",
		"server: {shutdown_timeout: -1s, addr: \":99999\"}\n",
		"communities: [{id: a, workspaces: [slack:T1]}, {id: a, workspaces: [slack:T1]}]\n",
		"themes: [{key: \"\", name: \"\"}]\nlog: {level: x}\n",
		"redis:\n  sentinel: {master_name: m}\n",
		"- just a list\n",
		"{{{",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body string) {
		for _, v := range []string{"REDIS_URL", "REDIS_CLUSTER_URL", "REDIS_PASSWORD", "PLEDGEBOT_ADDR", "PLEDGEBOT_LOG_LEVEL", "PLEDGEBOT_LOG_FORMAT"} {
			os.Unsetenv(v)
		}
		path := dir + "/c.yaml"
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil {
			return
		}
		if !strings.HasPrefix(err.Error(), path+": ") {
			t.Fatalf("error does not name the file: %v", err)
		}
		if strings.Contains(body, ":hunter2@") && strings.Contains(err.Error(), "hunter2") && !strings.Contains(err.Error(), "line ") {
			t.Fatalf("error leaks the Redis password: %v", err)
		}
	})
}
