package tokenbox

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func box(t *testing.T, fill byte) *Box {
	t.Helper()
	b, err := New(bytes.Repeat([]byte{fill}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpen(t *testing.T) {
	b := box(t, 1)
	const tok = "xoxb-111-222-secret"
	s1, err := b.Seal("T1", tok)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := b.Seal("T1", tok)
	if s1 == s2 {
		t.Fatal("two seals of one token are equal: the nonce is not fresh")
	}
	if strings.Contains(s1, "xoxb-") || strings.Contains(s1, "secret") {
		t.Fatalf("sealed value shows the token: %q", s1)
	}
	got, err := b.Open("T1", s1)
	if err != nil || got != tok {
		t.Fatalf("Open = %q, %v", got, err)
	}
}

func TestOpenRefuses(t *testing.T) {
	b := box(t, 1)
	sealed, _ := b.Seal("T1", "xoxb-token")
	raw, _ := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(sealed, prefix))
	flip := func(i int) string {
		c := bytes.Clone(raw)
		c[i] ^= 1
		return prefix + base64.RawStdEncoding.EncodeToString(c)
	}
	tests := []struct {
		name, team, sealed string
		b                  *Box
	}{
		{"another team's", "T2", sealed, b},
		{"another key", "T1", sealed, box(t, 2)},
		{"nonce changed", "T1", flip(0), b},
		{"ciphertext changed", "T1", flip(12), b},
		{"tag changed", "T1", flip(len(raw) - 1), b},
		{"cut short", "T1", sealed[:len(sealed)-4], b},
		{"too short for a nonce", "T1", prefix + "AAAA", b},
		{"no version", "T1", strings.TrimPrefix(sealed, prefix), b},
		{"not base64", "T1", prefix + "***", b},
		{"empty", "T1", "", b},
		{"a plain token", "T1", "xoxb-token", b},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.b.Open(tc.team, tc.sealed)
			if err != ErrOpen || got != "" {
				t.Fatalf("Open = %q, %v; want ErrOpen", got, err)
			}
		})
	}
}

func TestNewKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("a key of %d bytes was taken", n)
		}
	}
}
