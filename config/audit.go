package config

import "time"

// Audit configures the audit trail: the per-community Redis stream that
// every state change is appended to.
type Audit struct {
	// Retention is how long audit entries are kept; `pledgebot serve`
	// trims older ones every hour. 0 keeps them all.
	Retention time.Duration `yaml:"retention"`
}
