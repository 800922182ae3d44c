//go:build unix

package testenv

import (
	"syscall"
	"testing"
	"time"
)

// CPU starts measuring the process's CPU time; the function it returns
// reports it per operation of b as cpu-ms/op, which a machine shared with
// other work inflates less than the wall-clock ns/op.
func CPU(b *testing.B) func() {
	start := CPUTime()
	return func() {
		b.ReportMetric(float64(CPUTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// CPUTime returns the CPU time the process has spent, user and system.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
