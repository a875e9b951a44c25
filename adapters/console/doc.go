// Package console is the terminal adapter: one command per line in, plain
// text out. It plays several people with /as, which makes it the quickest
// way to try Pledgebot and to drive it from scripts and tests.
//
// Imports: the standard library and Pledgebot's bot package, nothing else.
// docs/layers_test.go holds it to that.
package console
