package store

import (
	"strings"
	"testing"
)

// Request ids become a fixed 16-character digest whatever their length,
// with no trace of the id in it.
func TestReqKeyIsAShortDigest(t *testing.T) {
	ids := []string{"1", "1318230512345678901", "1767225600000.1234567890123.0123456789abcdef0123456789abcdef",
		strings.Repeat("x", 500)}
	seen := map[string]bool{}
	for _, id := range ids {
		k := reqKey(id)
		if len(k) != 16 || strings.ContainsAny(k, ":{}*") || seen[k] || k != reqKey(id) {
			t.Errorf("reqKey(%q) = %q", id, k)
		}
		seen[k] = true
	}
	if reqKey("") != "" {
		t.Error("an empty id must stay empty (no idempotency asked)")
	}
}
