// Package commands holds the handlers behind every slash command, one file
// per command family (business, pledge, s172, summary, roles, nudges,
// digest, help, data rights). Each command is declared once as a
// bot.Command; a handler takes a parsed, typed call and returns a
// platform-neutral bot.Reply, never platform formatting.
//
// Imports: the standard library and Pledgebot's bot, summary and report
// packages. No Slack, Discord, Redis or Prometheus package: persistence goes
// through the bot.Store interface. docs/layers_test.go holds it to that.
package commands
