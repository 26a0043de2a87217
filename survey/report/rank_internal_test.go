package report

import (
	"fmt"
	"testing"
	"time"
)

// The rank cache stays bounded: expired and finished entries make room, and
// when every entry is still being computed no new computation starts.
func TestRankCacheBounded(t *testing.T) {
	s := &Service{ranks: map[string]*rankEntry{}}
	for i := 0; i < maxRankEntries; i++ {
		s.ranks[fmt.Sprint(i)] = &rankEntry{done: make(chan struct{})} // in flight
	}
	if s.makeRoomLocked() {
		t.Fatalf("room made while every entry is in flight")
	}
	s.ranks["0"].expires = time.Now().Add(-time.Second) // expired
	s.ranks["1"].expires = time.Now().Add(time.Hour)    // finished, still fresh
	if !s.makeRoomLocked() {
		t.Fatalf("no room after an entry expired")
	}
	if _, ok := s.ranks["0"]; ok {
		t.Fatalf("expired entry kept")
	}
	if len(s.ranks) >= maxRankEntries {
		t.Fatalf("cache holds %d entries, want fewer than %d", len(s.ranks), maxRankEntries)
	}
}
