package store

import "strconv"

// longMax is how many fields a text may take (lua/prelude.lua,
// long_fields: bot.MaxText characters of up to 4 bytes in 64-byte parts).
const longMax = 32

// longFields names the fields of a text: field, field2, ... .
func longFields(field string) []string {
	out := []string{field}
	for k := 2; k <= longMax; k++ {
		out = append(out, field+strconv.Itoa(k))
	}
	return out
}

// joinLong joins a long value from a hash's fields.
func joinLong(h map[string]string, field string) string {
	out := h[field]
	for k := 2; ; k++ {
		part, ok := h[field+strconv.Itoa(k)]
		if !ok {
			break
		}
		out += part
	}
	return out
}
