// Package discord is the Discord adapter: application commands generated
// from the core's command spec, signed HTTP interactions and gateway
// interactions through one code path, embeds and components for replies,
// and a Sender for notices through discordgo's rate-limited REST client.
// docs/discord.md says how to set the application up.
//
// Imports: the standard library, Pledgebot's bot package,
// github.com/bwmarrin/discordgo and github.com/gorilla/websocket (to tell a
// lost gateway connection by its close code). Never the store, commands or
// another adapter: main wires them. docs/layers_test.go holds it to that.
package discord
