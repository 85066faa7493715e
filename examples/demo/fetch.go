package demo

import (
	"errors"
	"strings"
	"sync"
	"time"
)

// Fetch waits for a lookup or gives up after a timeout. If the timeout wins,
// nobody ever receives from result: the goroutine blocks on its send forever.
func Fetch(names []string, timeout time.Duration) (string, error) {
	result := make(chan string)
	go func() {
		result <- strings.Join(names, ",")
	}()
	select {
	case r := <-result:
		return r, nil
	case <-time.After(timeout):
		return "", errors.New("lookup timed out")
	}
}

// Watch forwards events until none has come for a second; each iteration
// makes a new timer, and any event restarts the wait.
func Watch(events <-chan string, forward func(string)) {
	for {
		select {
		case event := <-events:
			forward(event)
		case <-time.After(time.Second):
			return
		}
	}
}

type Stats struct {
	mu    sync.Mutex
	count map[string]int
}

// Record forgets to unlock on the early return: the next caller blocks forever.
func (s *Stats) Record(key string) error {
	s.mu.Lock()
	if key == "" {
		return errors.New("empty key")
	}
	s.count[key]++
	s.mu.Unlock()
	return nil
}
