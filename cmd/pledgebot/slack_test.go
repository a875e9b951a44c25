package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestSlackManifestCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"slack-manifest", "--url", "https://pb.example.org"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	for _, want := range []string{`"/pledge"`, `"/business"`, `"/pledgebot"`, "https://pb.example.org/slack/events"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("manifest lacks %s", want)
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"slack-manifest"}, nil, &out, &errb); code == 0 {
		t.Fatal("slack-manifest without --url succeeded")
	}
}
