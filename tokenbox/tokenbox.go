// Package tokenbox seals Slack tokens for storage with AES-256-GCM. The
// workspace's team id is the additional data, so a sealed token copied
// under another team's key in Redis does not open.
package tokenbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
)

// prefix marks the format, so a later one can be told apart.
const prefix = "v1:"

// ErrOpen is all Open says of a failure: a wrong key, a wrong team, or a
// damaged value look alike, and none is repeated in logs.
var ErrOpen = errors.New("tokenbox: the sealed token does not open (wrong key, wrong team or damaged)")

// Box seals and opens with one key.
type Box struct{ aead cipher.AEAD }

// New takes the 32-byte key (slack.token_key, decoded).
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, errors.New("tokenbox: the key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts token for team with a fresh random nonce: "v1:" then
// base64 of nonce and ciphertext.
func (b *Box) Seal(team, token string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := b.aead.Seal(nonce, nonce, []byte(token), []byte(team))
	return prefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts what Seal made for the same team.
func (b *Box) Open(team, sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", ErrOpen
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	n := b.aead.NonceSize()
	if err != nil || len(raw) < n+b.aead.Overhead() {
		return "", ErrOpen
	}
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(team))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}
