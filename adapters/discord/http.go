package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/adapters/arrival"
)

// MaxBody bounds an interaction request; real ones are a few kilobytes.
const MaxBody = 64 << 10

// MaxSkew is how old (or how far in the future) a signed timestamp may be.
const MaxSkew = 5 * time.Minute

// ParsePublicKey reads DISCORD_PUBLIC_KEY (hex, as the developer portal
// shows it).
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	k, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, errors.New("DISCORD_PUBLIC_KEY must be the application's 64-character hex public key")
	}
	return ed25519.PublicKey(k), nil
}

// verify checks the Ed25519 signature over timestamp+body, with discordgo
// (discordgo.VerifyInteraction), and the timestamp's age, which discordgo
// does not check. Discord probes endpoints with bad signatures and expects
// 401.
func (a *Adapter) verify(h http.Header, body []byte) bool {
	if len(a.publicKey) != ed25519.PublicKeySize {
		return false // ed25519.Verify would panic
	}
	ts := h.Get("X-Signature-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := a.now().Sub(time.Unix(secs, 0)); d > MaxSkew || d < -MaxSkew {
		return false
	}
	// The body has been read (bounded) already; discordgo reads it from a request.
	r := &http.Request{Header: h, Body: io.NopCloser(bytes.NewReader(body))}
	return discordgo.VerifyInteraction(r, a.publicKey)
}

// ServeHTTP is POST /discord/interactions.
func (a *Adapter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := arrival.With(r.Context(), time.Now()) // before the body is read and verified
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	if !a.verify(r.Header, body) {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	i, err := decode(body)
	if err != nil {
		a.log.Warn("discord: undecodable interaction", "err", err)
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	answered := false
	a.Interact(ctx, i, func(resp *discordgo.InteractionResponse) error {
		if answered {
			return errors.New("interaction already answered")
		}
		answered = true
		b, err := json.Marshal(resp)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json")
		_, err = w.Write(b)
		return err
	})
	if !answered {
		http.Error(w, "no answer", http.StatusInternalServerError)
	}
}
