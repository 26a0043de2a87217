package report

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/sipas/sipas/survey"
)

// inParallel runs f(0) … f(n-1) on up to as many goroutines as the
// process has cores (at most four), and returns the error of the lowest i
// that failed. The parts of a report (its period and the one before; a
// trend's months) are independent reads of the store, and one report then
// takes the server's cores instead of one of them. A panic in f is
// returned as an error instead of taking the server down: f runs outside
// the HTTP handler's recovery.
func inParallel(n int, f func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), 4, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = protect(func() error { return f(i) })
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// protect calls f, turning a panic into an error.
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("report: panic: %v", r)
		}
	}()
	return f()
}

// loadWithPrevious loads the trees of q's period and of prev at once.
func (s *Service) loadWithPrevious(ctx context.Context, q Query, prev survey.Period, h *history) (t, pt *tree, err error) {
	err = inParallel(2, func(i int) error {
		var err error
		if i == 0 {
			t, err = s.load(ctx, q, q.Period, h)
		} else {
			pt, err = s.load(ctx, q, prev, h)
		}
		return err
	})
	return t, pt, err
}
