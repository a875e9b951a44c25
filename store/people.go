package store

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// Every person has an index of their own, outside every community: the
// fields "IDENTITY COMMUNITY" -> "" of the communities they appear in
// (communityEntry), in one of communityBuckets hashes
// PREFIX:communities-of:BB, chosen by a stable hash of the identity
// (keys.go). Erasing them visits those
// communities and no others, however many there are.
//
// Buckets, not a key per person (releases before communities-buckets-2026-12):
// a key costs about 100 bytes of its own, a field a few, so 2,000 people
// cost 27-30 bytes a pledge as keys. With 256 buckets a deployment of
// fewer people than that pays what it paid (about one bucket each), and
// one of 20,000 people keeps about 80 fields a bucket, under Redis's
// default hash-max-listpack-entries of 128, so each stays compact; past
// that a bucket turns into a hashtable, which still costs less per person
// than a key. A field holds the pair, not a list of communities, so that
// writing and forgetting are one HSET or HDEL each (no read-modify-write
// to race), and so that a person in many communities makes several short
// fields, not one value over hash-max-listpack-value (64 bytes). Reading a
// person's entries is an HSCAN of their bucket with their identity as the
// pattern: one small hash, not the keyspace.
//
// It cannot be written by the community's scripts: on Redis Cluster a
// script touches only keys of its community's slot. So the store writes it
// after each write by a person or about one (appear), and remembers in the
// process what it wrote, so a person costs one extra command per community
// per process, not one per write. What it remembers must not outlive what
// Redis holds: when a business deletion forgets someone in a community, or
// an erasure forgets them everywhere, every process has to write the entry
// again at their next write there. The store that forgets publishes it on
// the channel PREFIX:forgotten ("IDENTITY COMMUNITY"), to which every
// store listens; a store trusts what it remembers only while it is
// subscribed, and forgets all of it whenever it (re)subscribes, since
// messages may have been missed while it was not.
type people struct {
	mu     sync.Mutex
	known  map[string]map[string]bool // identity -> communities written
	size   int
	live   bool   // subscribed: known may be trusted
	gen    uint64 // counts forgettings, so a write racing one is not remembered
	ps     *redis.PubSub
	start  bool          // the listener is started
	ready  chan struct{} // closed when it first subscribed
	closed bool
}

// peopleMax bounds what a process remembers; past it, it starts afresh.
const peopleMax = 1 << 16

// communityBuckets is how many hashes hold people's indexes. Changing it
// moves every entry: it needs a migration like MigrateCommunityBuckets.
const communityBuckets = 256

// communitiesOfKey is the bucket holding the index of the person whose
// identity key is who: FNV-1a (32 bits) of it, modulo communityBuckets,
// in two hex digits. Never an identity key, which always holds colons.
func (s *Store) communitiesOfKey(who string) string {
	h := fnv.New32a()
	h.Write([]byte(who))
	return fmt.Sprintf("%s:communities-of:%02x", s.prefix, h.Sum32()%communityBuckets)
}

// communityEntry is the field saying that who appears in community c:
// "IDENTITY COMMUNITY", or "IDENTITY =" for the community named after the
// person's own workspace, as bot.Tenancy names an unconfigured one
// ("discord-GUILD"), which is most people's. Spelt out, a Discord
// person's would be 75 bytes, past hash-max-listpack-value (64), and turn
// the whole bucket into a hashtable. "=" is no community id (config.go
// allows letters, digits and '-'; bot.Tenancy, platform-workspace).
func communityEntry(who, c string) string {
	if c == ownCommunity(who) {
		c = "="
	}
	return who + " " + c
}

// ownCommunity is the community bot.Tenancy names after the workspace of
// the person whose identity key is who (platform:workspace:user).
func ownCommunity(who string) string {
	p := strings.SplitN(who, ":", 3)
	if len(p) != 3 {
		return ""
	}
	return p[0] + "-" + p[1]
}

// communitiesOf lists the communities whose entries who's bucket holds.
// An identity holds letters, digits, '.', '_', '-' and ':' only
// (bot.ParseIdentity), none of which a MATCH pattern gives a meaning.
func (s *Store) communitiesOf(ctx context.Context, who string) ([]string, error) {
	var out []string
	iter := s.rdb.HScan(ctx, s.communitiesOfKey(who), 0, who+" *", 1000).Iterator()
	for i := 0; iter.Next(ctx); i++ {
		if i%2 == 1 { // field, value, field, value...
			continue
		}
		if c, ok := strings.CutPrefix(iter.Val(), who+" "); ok {
			if c == "=" {
				c = ownCommunity(who)
			}
			out = append(out, c)
		}
	}
	return out, s.fail(iter.Err())
}

func (s *Store) forgottenChannel() string { return s.prefix + ":forgotten" }

// appear records in their own indexes that people appear in community c,
// after a write by them or naming them succeeded. A failure is not the
// write's: the entry is not remembered, so their next write tries again.
func (s *Store) appear(ctx context.Context, c string, who ...bot.Identity) {
	pp := &s.people
	pp.mu.Lock()
	s.listen()
	gen, live := pp.gen, pp.live
	var todo []string
	for _, w := range who {
		if k := w.Key(); !live || !pp.known[k][c] {
			todo = append(todo, k)
		}
	}
	pp.mu.Unlock()
	if len(todo) == 0 {
		return
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range todo {
			p.HSet(ctx, s.communitiesOfKey(k), communityEntry(k, c), "")
		}
		return nil
	})
	if err != nil {
		return
	}
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if !pp.live || pp.gen != gen {
		return
	}
	if pp.size+len(todo) > peopleMax {
		pp.known, pp.size = nil, 0
	}
	if pp.known == nil {
		pp.known = map[string]map[string]bool{}
	}
	for _, k := range todo {
		if pp.known[k] == nil {
			pp.known[k] = map[string]bool{}
		}
		if !pp.known[k][c] {
			pp.known[k][c] = true
			pp.size++
		}
	}
}

// listen starts, once, the listener that keeps the store's memory of the
// indexes true to Redis. Called with people.mu held.
func (s *Store) listen() {
	pp := &s.people
	if pp.start || pp.closed {
		return
	}
	pp.start = true
	pp.ready = make(chan struct{})
	go func() {
		ps := s.rdb.Subscribe(context.Background(), s.forgottenChannel())
		pp.mu.Lock()
		if pp.closed {
			pp.mu.Unlock()
			ps.Close()
			return
		}
		pp.ps = ps
		pp.mu.Unlock()
		for m := range ps.ChannelWithSubscriptions() {
			pp.mu.Lock()
			switch m := m.(type) {
			case *redis.Subscription:
				if m.Kind == "subscribe" {
					select {
					case <-pp.ready:
					default:
						close(pp.ready)
					}
					pp.known, pp.size, pp.live = nil, 0, true
					pp.gen++
				}
			case *redis.Message:
				pp.drop(m.Payload)
			}
			pp.mu.Unlock()
		}
		pp.mu.Lock()
		pp.live = false
		pp.mu.Unlock()
	}()
}

// listening starts the listener and waits until it has subscribed, for at
// most a second: the start-up of a store (LoadScripts), so that it
// remembers from its first write on. A store that cannot subscribe writes
// every entry every time, which costs a command but stays right.
func (s *Store) listening(ctx context.Context) {
	s.people.mu.Lock()
	s.listen()
	ready := s.people.ready
	s.people.mu.Unlock()
	if ready == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	select {
	case <-ready:
	case <-ctx.Done():
	}
}

// drop forgets what a message names: "IDENTITY COMMUNITY". Called with
// mu held.
func (pp *people) drop(msg string) {
	who, c, _ := strings.Cut(msg, " ")
	if pp.known[who][c] {
		delete(pp.known[who], c)
		pp.size--
	}
	pp.gen++
}

// close stops the listener.
func (pp *people) close() {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	pp.closed, pp.live = true, false
	if pp.ps != nil {
		pp.ps.Close()
	}
}

// forget removes community c from people's indexes, and tells every
// store, this one first.
func (s *Store) forget(ctx context.Context, c string, who ...string) error {
	if len(who) == 0 {
		return nil
	}
	s.people.mu.Lock()
	for _, w := range who {
		s.people.drop(w + " " + c)
	}
	s.people.mu.Unlock()
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, w := range who {
			p.HDel(ctx, s.communitiesOfKey(w), communityEntry(w, c))
			p.Publish(ctx, s.forgottenChannel(), w+" "+c)
		}
		return nil
	})
	return s.fail(err)
}

// personIndex is what one of a person's indexes in community c holds: the
// businesses they are in (kind ""), or "past", "partners", "needs". They
// are fields of the hash people, WHO or "WHO KIND" -> numbers,
// comma-separated, WHO's first the person's number "=N" when they have one
// (person_members in lua/prelude.lua; keys person:WHO and
// person:WHO:KIND up to members-people-2026-12, MigrateMembers).
func (s *Store) personIndex(ctx context.Context, c string, who bot.Identity, kind string) ([]string, error) {
	f := who.Key()
	if kind != "" {
		f += " " + kind
	}
	v, err := s.rdb.HGet(ctx, s.key(c, "people"), f).Result()
	if err == redis.Nil || v == "" {
		return nil, nil
	}
	if err = s.fail(err); err != nil {
		return nil, err
	}
	var out []string
	for _, m := range strings.Split(v, ",") {
		// (the field WHO starts with the person's number, "=N": person_number
		// in lua/prelude.lua)
		if !strings.HasPrefix(m, "=") {
			out = append(out, m)
		}
	}
	return out, nil
}

// personsPer is how many numbers each hash persons:B holds (persons_per
// in lua/prelude.lua).
const personsPer = 128

// namePeople gives business hashes hs, as HGETALL read them, the
// identities their numbers stand for, as scripts read them (folded_fields,
// person_identity in lua/prelude.lua): fields '@N', '^N' and '~N' become
// '@IDENTITY'..., and a created_by N its identity. A number whose identity
// erasure dropped makes created_by "erased" and its fields are left out.
// Values written before the numbers (identities) stay as they are.
func (s *Store) namePeople(ctx context.Context, c string, hs ...map[string]string) error {
	need := map[string]*redis.StringCmd{}
	for _, h := range hs {
		for f, v := range h {
			if f == "created_by" && isDigits(v) {
				need[v] = nil
			} else if personField(f) {
				need[f[1:]] = nil
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range need {
			b, _ := strconv.Atoi(n)
			need[n] = p.HGet(ctx, s.key(c, "persons", b/personsPer), n)
		}
		return nil
	})
	if err != nil && err != redis.Nil {
		return s.fail(err)
	}
	who := func(n string) string { return need[n].Val() }
	for _, h := range hs {
		if v := h["created_by"]; isDigits(v) {
			h["created_by"] = cmp.Or(who(v), "erased")
		}
		var fields []string
		for f := range h {
			if personField(f) {
				fields = append(fields, f)
			}
		}
		for _, f := range fields {
			v := h[f]
			delete(h, f)
			if id := who(f[1:]); id != "" {
				h[f[:1]+id] = v
			}
		}
	}
	return nil
}

// personField says whether field f of a business hash names a person by
// number: '@N', '^N', '~N'.
func personField(f string) bool {
	return len(f) > 1 && strings.IndexByte("@^~", f[0]) >= 0 && isDigits(f[1:])
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
