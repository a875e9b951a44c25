package arrival

import (
	"context"
	"testing"
	"time"
)

func TestBy(t *testing.T) {
	at := time.Now().Add(-2 * time.Second)
	if got := By(With(context.Background(), at), 3*time.Second); !got.Equal(at.Add(3 * time.Second)) {
		t.Errorf("By after an arrival 2 s ago = %v, want %v", got, at.Add(3*time.Second))
	}
	before := time.Now()
	got := By(context.Background(), time.Second)
	if got.Before(before.Add(time.Second)) || got.After(time.Now().Add(time.Second)) {
		t.Errorf("By without an arrival = %v, want about a second from now", got)
	}
}
