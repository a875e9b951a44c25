// Package bot is Pledgebot's core: the platform-neutral types (Request,
// Reply, Notice, Member, Community), the command spec from which the text
// parser, help and every platform's registration derive, the router with
// its role checks and tenancy, the delivery of notices (Bot.Deliver), and
// errors that carry a code and a message fit for a user.
//
// Adapters translate platform events into a Request and render what comes
// back; commands (package commands) do the work; the store behind the
// Store interface persists it. The core knows none of them by name.
//
// Bot.Resolve finds what a request names (command, subcommand, the text
// left) once, and the request carries it (Request.Resolved) to
// PrivateReply and Handle. Adapters that open forms read the same
// resolution, and split a button's text with Command.Split, instead of
// looking commands up or splitting text themselves.
//
// Imports: the standard library, golang.org/x/text and
// github.com/mtibben/confusables (for look-alike business names). No Slack,
// Discord, Redis or Prometheus package, and no other package of Pledgebot:
// it reports through Options.Observe and ObserveSend instead.
// docs/layers_test.go holds it to that.
package bot
