package discord

import "sync"

// inflight counts background follow-ups. Unlike sync.WaitGroup it allows
// new work to start while someone waits (an HTTP request arriving during
// shutdown), which the server's shutdown order can't rule out.
type inflight struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

func (f *inflight) Add() {
	f.mu.Lock()
	f.n++
	f.mu.Unlock()
}

func (f *inflight) Done() {
	f.mu.Lock()
	f.n--
	if f.n == 0 && f.cond != nil {
		f.cond.Broadcast()
	}
	f.mu.Unlock()
}

// Wait blocks until nothing is in flight.
func (f *inflight) Wait() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cond == nil {
		f.cond = sync.NewCond(&f.mu)
	}
	for f.n > 0 {
		f.cond.Wait()
	}
}
