//go:build !unix

package testenv

import (
	"testing"
	"time"
)

// CPU reports nothing where the process's CPU time is not at hand.
func CPU(b *testing.B) func() { return func() {} }

// CPUTime returns zero where the process's CPU time is not at hand.
func CPUTime() time.Duration { return 0 }
