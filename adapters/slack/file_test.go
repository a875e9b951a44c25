package slack

import (
	"strings"
	"testing"
)

// An export is uploaded into the person's direct messages, never shown in
// the channel the command was typed in.
func TestFileRepliesAreUploadedPrivately(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme")
	e.mustCommand("U1", `/pledge add "Plant fifty trees" theme:carbon target:50`)
	got := e.mustCommand("U1", "/business export 1")
	if !strings.Contains(got, "sent you business-1.json in a direct message") || strings.Contains(got, "Plant fifty trees") {
		t.Fatalf("reply should point to the DM and not show the file: %s", got)
	}
	open := e.slack.Calls("conversations.open")
	if len(open) == 0 || open[len(open)-1].Form.Get("users") != "U1" {
		t.Fatalf("no direct message opened with U1: %+v", open)
	}
	uploads := e.slack.Calls("upload/F0FILE")
	if len(uploads) != 1 || !strings.Contains(string(uploads[0].Body), "Plant fifty trees") {
		t.Fatalf("file content not uploaded: %+v", uploads)
	}
	done := e.slack.Calls("files.completeUploadExternal")
	if len(done) != 1 || done[0].Form.Get("channel_id") != "D0DM" {
		t.Fatalf("upload not shared to the DM: %+v", done)
	}
}

// Without a bot token nothing can be uploaded: the file shows inline.
func TestFileRepliesInlineWithoutToken(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.BotToken = "" })
	e.mustCommand("U1", "/business register Acme")
	got := e.mustCommand("U1", "/business export 1")
	if !strings.Contains(got, "business-1.json") || !strings.Contains(got, "```{") || !strings.Contains(got, `\"role\": \"owner\"`) {
		t.Fatalf("file should show inline: %s", got)
	}
}

// share:yes cannot put an export in the channel.
func TestExportsAreNeverShared(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.BotToken = "" })
	e.mustCommand("U1", "/business register Acme")
	code, m := e.command("U1", "/business export 1 share:yes")
	if code != 200 || m.ResponseType == "in_channel" {
		t.Fatalf("export shared in channel: %d %+v", code, m.ResponseType)
	}
	if _, m := e.command("U1", "/pledge list share:yes"); m.ResponseType != "in_channel" {
		t.Fatalf("ordinary replies still share: %q", m.ResponseType)
	}
}
