// Package store persists Pledgebot's state in Redis and implements
// bot.Store. It is the only package that knows key names (keys.go lists
// them all; docs/design.md groups them). Every write is one Lua script
// (lua/) that checks everything before writing anything, carries the
// community in a hash tag so it runs on one cluster slot, and is idempotent
// by request id. Pledge writes append to the community's ledger and keep
// its monthly sums (lua/figures.lua), from which every figure is read.
//
// With no Redis configured, Open runs the same scripts on an embedded
// in-process Redis (miniredis) that keeps nothing.
//
// Imports: the standard library, Pledgebot's bot package,
// github.com/redis/go-redis/v9 and github.com/alicebob/miniredis/v2. No
// other package of Pledgebot, so the core and the commands never see Redis.
// docs/layers_test.go holds it to that.
package store
