package report

import (
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	good := Claims{Community: "cam", Expires: now.Add(time.Hour).Unix(), Period: "2026-Q4"}
	tok := Sign(secret, good)
	payload, sig, _ := strings.Cut(tok, ".")
	forgedClaims := Sign([]byte("another secret entirely!!"), good)
	// Swap in a payload for another community, keeping the signature.
	other := Sign(secret, Claims{Community: "other", Expires: good.Expires})
	otherPayload, _, _ := strings.Cut(other, ".")
	flip := []byte(sig)
	if flip[0] == 'A' {
		flip[0] = 'B'
	} else {
		flip[0] = 'A'
	}
	// The signature's last character carries 2 unused bits: flipping one
	// decodes to the same bytes unless decoding is strict.
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, sig[len(sig)-1])
	loose := payload + "." + sig[:len(sig)-1] + string(alphabet[last^1])
	cases := []struct {
		name      string
		token     string
		community string
		now       time.Time
		secret    []byte
		ok        bool
	}{
		{"valid", tok, "cam", now, secret, true},
		{"expired", tok, "cam", now.Add(time.Hour), secret, false},
		{"long expired", tok, "cam", now.Add(30 * 24 * time.Hour), secret, false},
		{"other community in path", tok, "other", now, secret, false},
		{"signed with another secret", forgedClaims, "cam", now, secret, false},
		{"payload swapped", otherPayload + "." + sig, "other", now, secret, false},
		{"signature changed", payload + "." + string(flip), "cam", now, secret, false},
		{"no signature", payload, "cam", now, secret, false},
		{"empty", "", "cam", now, secret, false},
		{"garbage", "%%%.???", "cam", now, secret, false},
		{"no secret stored", tok, "cam", now, nil, false},
		{"huge", strings.Repeat("a", 5000) + "." + sig, "cam", now, secret, false},
		{"non-canonical base64", loose, "cam", now, secret, false},
	}
	for _, c := range cases {
		got, err := Verify(c.secret, c.token, c.community, c.now)
		if (err == nil) != c.ok {
			t.Errorf("%s: err = %v, want ok %v", c.name, err, c.ok)
		}
		if c.ok && got != good {
			t.Errorf("%s: claims = %+v, want %+v", c.name, got, good)
		}
	}
}

// FuzzVerify: no input panics, and nothing but a signed token passes.
func FuzzVerify(f *testing.F) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	f.Add(Sign(secret, Claims{Community: "cam", Expires: 1 << 40}))
	f.Add("eyJjIjoiY2FtIiwiZSI6OTk5OTk5OTk5OTl9.AAAA")
	f.Add("..")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := Verify(secret, token, "cam", time.Unix(0, 0))
		if err == nil && (c.Community != "cam" || c.Expires <= 0) {
			t.Fatalf("accepted %q as %+v", token, c)
		}
	})
}
