package main

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// docs/operations.md tells users to keep secrets in .env, and the console
// writes exports under exports/: neither may be sent to a Docker build.
func TestDockerignoreKeepsSecretsOut(t *testing.T) {
	data, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, want := range []string{".env", "exports/"} {
		if !lines[want] {
			t.Errorf(".dockerignore does not exclude %s", want)
		}
	}
}

// /metrics and /readyz share the serving port, which docs/operations.md
// says to keep private: Compose publishes it on loopback only.
func TestComposePublishesOnLoopbackOnly(t *testing.T) {
	data, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Services map[string]struct {
			Ports []string `yaml:"ports"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	for name, s := range f.Services {
		for _, p := range s.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("service %s publishes %q on every interface", name, p)
			}
		}
	}
}
