package store_test

import (
	"testing"
	"time"
)

// TestSnapshotIgnoresEmbeddedClock: on the embedded store, whose clock
// moves TTLs on every 100 ms (store.Open, expire), a snapshot taken a
// second after another of the same keys is the same, as Redis's DUMP
// (which holds no TTL) makes it on a real server. A snapshot that
// included the TTL's seconds made every "nothing written" check flaky
// whenever the two snapshots straddled a second and any key (a request
// record, a once-only decision) had a lifetime.
func TestSnapshotIgnoresEmbeddedClock(t *testing.T) {
	t.Setenv("PLEDGEBOT_TEST_STORE", "embedded")
	f := newFixture(t)
	if err := f.rdb.Set(ctx, f.prefix+":kept", "1", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if err := f.rdb.Set(ctx, f.prefix+":forever", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	before := f.snapshot(t)
	time.Sleep(1100 * time.Millisecond)
	after := f.snapshot(t)
	sameSnapshot(t, before, after)
	// A lifetime given or taken away still shows.
	if err := f.rdb.Persist(ctx, f.prefix+":kept").Err(); err != nil {
		t.Fatal(err)
	}
	if f.snapshot(t)[f.prefix+":kept"] == before[f.prefix+":kept"] {
		t.Error("a key that lost its lifetime dumps as before")
	}
}
