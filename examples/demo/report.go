// Package demo is a small module with the kind of code Go Insight explains:
// deferred cleanups whose order matters, channels and goroutines, and values
// the compiler moves to the heap.
package demo

import (
	"bufio"
	"fmt"
	"os"
	"sync"
	"time"
)

// WriteReport writes lines to a new file. The deferred calls run in reverse:
// the writer is flushed (⟲1) before the file is closed (⟲2).
func WriteReport(name string, lines []string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	for _, line := range lines {
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

// Timed logs how long the call took; the closure reads the clock at return.
func Timed(name string, work func()) {
	start := time.Now()
	defer func() { fmt.Printf("%s took %v\n", name, time.Since(start)) }()
	work()
}

type Counter struct {
	mu    sync.Mutex
	count map[string]int
}

// Add locks, and the deferred unlock runs when Add returns.
func (c *Counter) Add(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count[key]++
}
