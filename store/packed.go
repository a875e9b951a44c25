package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Pledges are packed (lua/prelude.lua, pledge_load): pledge N is one
// string of its fields, cut into parts of pledgeChunk bytes, fields of the
// hash pledges:B, B = N / pledgePer (pledgePartName). Scripts read and write it
// through the prelude's redis wrapper; Go never does, but for tests and
// benchmarks, which seed and inspect pledges by their stored fields
// (pledge_short's names): ReadPackedPledge and WritePackedPledge. The
// constants and tables below are the prelude's, which a test checks
// (TestPackedFormatAgrees).
const (
	pledgePer   = 32
	pledgeChunk = 63
)

var (
	packSlots = []string{"x", "b", "t", "g", "u", "w", "c", "a", "p", "s", "d", "z", "v", "m", "f", "n", "pt",
		"cf", "nd", "kg", "ob", "oa", "oc"}
	packInt   = map[string]bool{"b": true, "w": true, "c": true, "a": true, "z": true, "n": true, "oa": true, "kg": true, "d": true}
	packWords = []string{"local-hiring", "apprenticeships", "inclusive-hiring", "schools", "buy-local", "fair-pay",
		"prompt-payment", "volunteering", "sponsorship", "expert-help", "carbon", "waste", "people (FTE)",
		"weeks of apprenticeship", "placement weeks", "£ local spend", "% staff on the real Living Wage",
		"% invoices paid within 30 days", "hours", "£", "tonnes CO2e", "tonnes", "done", "lapsed", "withdrawn",
		"rate", "private", "kg", "minutes", "£k", "active"}
)

// PledgeBucket is the hash that holds pledge n, after the key base.
func PledgeBucket(n int) string { return "pledges:" + strconv.Itoa(n/pledgePer) }

// pledgePartName is the field of part k (from 1) of pledge n's string
// (pledge_part_name).
func pledgePartName(n, k int) string { return strconv.Itoa(n%pledgePer + pledgePer*(k-1)) }

// pledgeExt is the field of lg's part k (from 2) of pledge n (pledge_ext).
func pledgeExt(n, k int) string { return strconv.Itoa(n%pledgePer) + ":" + strconv.Itoa(k) }

func packLen(b *strings.Builder, n int) {
	switch {
	case n < 249:
		b.WriteByte(byte(n + 1))
	case n < 65536:
		b.Write([]byte{250, byte(n >> 8), byte(n)})
	default:
		b.Write([]byte{251, byte(n >> 16), byte(n >> 8), byte(n)})
	}
}

// unpackLen reads the length at s[i]: the length (-1: absent) and where
// the value starts.
func unpackLen(s string, i int) (int, int, error) {
	if i >= len(s) {
		return 0, 0, fmt.Errorf("packed pledge cut short")
	}
	switch c := int(s[i]); {
	case c == 0:
		return -1, i + 1, nil
	case c < 250:
		return c - 1, i + 1, nil
	case c == 250 && i+2 < len(s):
		return int(s[i+1])<<8 | int(s[i+2]), i + 3, nil
	case c == 251 && i+3 < len(s):
		return int(s[i+1])<<16 | int(s[i+2])<<8 | int(s[i+3]), i + 4, nil
	}
	return 0, 0, fmt.Errorf("packed pledge: bad length at %d", i)
}

// encodePledge is the prelude's pledge_encode: h by stored names, long
// values whole.
func encodePledge(h map[string]string) string {
	slot := map[string]bool{}
	var out []string
	var rest strings.Builder
	last := 0
	for i, f := range packSlots {
		slot[f] = true
		out = append(out, "\x00")
		v, ok := h[f]
		if !ok {
			continue
		}
		enc, fits := v, true
		if packInt[f] {
			x := v
			if f == "d" { // (a date: its day number, pack_day)
				x = "-"
				if t, err := time.Parse(time.DateOnly, v); err == nil && t.Format(time.DateOnly) == v && t.Unix() >= 0 {
					x = strconv.FormatInt(t.Unix()/86400, 10)
				}
			}
			enc, fits = "", x == "0"
			if u, err := strconv.ParseUint(x, 10, 64); err == nil && len(x) <= 15 && x[0] != '0' {
				var bs []byte
				for ; u > 0; u >>= 8 {
					bs = append([]byte{byte(u)}, bs...)
				}
				enc, fits = string(bs), true
			}
		} else if k := wordCode(v); k > 0 {
			enc = string([]byte{byte(k)})
		} else if len(v) == 1 && v[0] < 32 {
			fits = false
		}
		if !fits {
			packLen(&rest, len(f))
			rest.WriteString(f)
			packLen(&rest, len(v))
			rest.WriteString(v)
			continue
		}
		var b strings.Builder
		packLen(&b, len(enc))
		b.WriteString(enc)
		out[i], last = b.String(), i+1
	}
	for f, v := range h {
		if !slot[f] && f != "lg" {
			packLen(&rest, len(f))
			rest.WriteString(f)
			packLen(&rest, len(v))
			rest.WriteString(v)
		}
	}
	if lg, ok := h["lg"]; ok { // last, the rest of the string after an empty name
		packLen(&rest, 0)
		rest.WriteString(lg)
	}
	return string([]byte{byte(last)}) + strings.Join(out[:last], "") + rest.String()
}

func wordCode(v string) int {
	for i, w := range packWords {
		if w == v {
			return i + 1
		}
	}
	return 0
}

// decodePacked is the prelude's pledge_decode.
func decodePacked(s string) (map[string]string, error) {
	if s == "" {
		return nil, fmt.Errorf("packed pledge empty")
	}
	h, i := map[string]string{}, 1
	for k := 0; k < int(s[0]); k++ {
		if k >= len(packSlots) {
			return nil, fmt.Errorf("packed pledge: %d slots", s[0])
		}
		n, at, err := unpackLen(s, i)
		if err != nil {
			return nil, err
		}
		i = at
		if n < 0 {
			continue
		}
		if i+n > len(s) {
			return nil, fmt.Errorf("packed pledge cut short")
		}
		f, v := packSlots[k], s[i:i+n]
		switch {
		case packInt[f]:
			var x uint64
			for j := 0; j < n; j++ {
				x = x<<8 | uint64(v[j])
			}
			v = strconv.FormatUint(x, 10)
			if f == "d" {
				v = time.Unix(int64(x)*86400, 0).UTC().Format(time.DateOnly)
			}
		case n == 1 && v[0] < 32 && v[0] > 0 && int(v[0]) <= len(packWords):
			v = packWords[v[0]-1]
		}
		h[f], i = v, i+n
	}
	for i < len(s) {
		if s[i] == 1 { // (an empty name: lg, the rest)
			h["lg"] = s[i+1:]
			break
		}
		var f string
		for _, to := range []*string{&f, nil} {
			n, at, err := unpackLen(s, i)
			if err != nil || n < 0 || at+n > len(s) {
				return nil, fmt.Errorf("packed pledge: bad field at %d", i)
			}
			if to != nil {
				*to = s[at : at+n]
			} else {
				h[f] = s[at : at+n]
			}
			i = at + n
		}
	}
	return h, nil
}

// ReadPackedPledge reads pledge n of the community whose key base is base
// (Store.base): its fields by stored name (lg's further parts, lg2...,
// too), nil when there is none.
func ReadPackedPledge(ctx context.Context, rdb redis.Cmdable, base string, n int) (map[string]string, error) {
	var parts []string
	for k := 1; ; k++ {
		v, err := rdb.HGet(ctx, base+PledgeBucket(n), pledgePartName(n, k)).Result()
		if err == redis.Nil {
			break
		}
		if err != nil {
			return nil, err
		}
		parts = append(parts, v)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	h, err := decodePacked(strings.Join(parts, ""))
	if err != nil {
		return nil, err
	}
	// (a long history's lg2..., fields N:2... of the bucket: pledge_ext)
	lgn, _ := strconv.Atoi(h["lgn"])
	for k := 2; k <= lgn+1; k++ {
		v, err := rdb.HGet(ctx, base+PledgeBucket(n), pledgeExt(n, k)).Result()
		if err == redis.Nil {
			break
		}
		if err != nil {
			return nil, err
		}
		h["lg"+strconv.Itoa(k)] = v
	}
	return h, nil
}

// WritePackedPledge writes pledge n's fields h (stored names, long values
// whole) in its bucket, as the prelude would, in pipe (a pipeline or a
// client), for seeding and tests. Of the parts a longer string had it
// drops the first after its own, where readers stop, and leaves the rest.
func WritePackedPledge(ctx context.Context, pipe redis.Cmdable, base string, n int, h map[string]string) {
	core := map[string]string{}
	var args []any
	for f, v := range h {
		if k, ok := strings.CutPrefix(f, "lg"); ok && k != "" && k != "n" {
			kk, _ := strconv.Atoi(k)
			args = append(args, pledgeExt(n, kk), v)
		} else {
			core[f] = v
		}
	}
	s := encodePledge(core)
	k := 1
	for i := 0; i < len(s); k, i = k+1, i+pledgeChunk {
		args = append(args, pledgePartName(n, k), s[i:min(i+pledgeChunk, len(s))])
	}
	pipe.HSet(ctx, base+PledgeBucket(n), args...)
	pipe.HDel(ctx, base+PledgeBucket(n), pledgePartName(n, k))
}
