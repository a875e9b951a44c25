// Package slack is the Slack adapter: signed HTTP endpoints (or Socket Mode)
// in, Block Kit out, and a Sender for the bot's own notices. It translates;
// every decision about what a command does stays in the core. docs/slack.md
// says how to set the app up.
//
// Imports: the standard library, Pledgebot's bot package and
// github.com/slack-go/slack (with its socketmode package). Never the store, commands or another adapter: main wires them.
// docs/layers_test.go holds it to that.
package slack
