package demo

import "sync"

// Squares fans work out to goroutines and collects the results. The channel
// is closed by a goroutine that waits for the workers, so the range ends.
func Squares(numbers []int) []int {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, n := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- n * n
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var squares []int
	for square := range results {
		squares = append(squares, square)
	}
	return squares
}

// NewBuffer returns a pointer to a local: the compiler moves it to the heap.
func NewBuffer(size int) *[]byte {
	buffer := make([]byte, size)
	return &buffer
}
