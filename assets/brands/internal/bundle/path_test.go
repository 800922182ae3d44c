package main

import (
	"strings"
	"testing"
)

func TestNormalizePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"M1,2L3-4", "M1 2L3-4"},
		{"M1e-3.5.5.5", "M1e-3 .5L.5 .5"},
		{"m1 2 3 4zM0 0h1v1H0V0", "m1 2l3 4zM0 0h1v1H0V0"},
		{"M0 0c1 1 2 2 3 3 4 4 5 5 6 6", "M0 0c1 1 2 2 3 3c4 4 5 5 6 6"},
		// A half circle of radius 1 from (0,0) to (2,0), through (1,-1)
		// (sweep 1 is clockwise on screen): two quarter Béziers.
		{"M0 0a1 1 0 012 0", "M0 0C0-.552 .448-1 1-1C1.552-1 2-.552 2 0"},
		{"M0 0A1 1 0 0 1 2 0", "M0 0C0-.552 .448-1 1-1C1.552-1 2-.552 2 0"},
		// Radii too small are scaled up; a zero radius is a line; an arc to
		// the current point is nothing.
		{"M0 0a.5.5 0 012 0", "M0 0C0-.552 .448-1 1-1C1.552-1 2-.552 2 0"},
		{"M0 0a0 1 0 012 0", "M0 0L2 0"},
		{"M0 0a1 1 0 010 0z", "M0 0z"},
		// A smooth curve after an arc has the current point as its first control.
		{"M0 0a1 1 0 012 0s1 1 2 2", "M0 0C0-.552 .448-1 1-1C1.552-1 2-.552 2 0c0 0 1 1 2 2"},
		{"M0 0a1 1 0 012 0S3 1 4 2", "M0 0C0-.552 .448-1 1-1C1.552-1 2-.552 2 0C2 0 3 1 4 2"},
		{"M0 0a1 1 0 012 0t2 2", "M0 0C0-.552 .448-1 1-1C1.552-1 2-.552 2 0q0 0 2 2"},
		// The current point follows relative commands, Z and H/V.
		{"M1 1h1zm1 0a1 1 0 012 0", "M1 1h1zm1 0C2 .448 2.448 0 3 0C3.552 0 4 .448 4 1"},
	}
	for _, tt := range tests {
		got, err := normalizePath(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("normalizePath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"0 0", "M0 0a1 1 0 2 0 1 1", "M0 0 x", "M0", "M0 0z1", "M1e-3.5.5"} {
		if _, err := normalizePath(bad); err == nil {
			t.Errorf("normalizePath(%q): no error", bad)
		}
	}
}

func FuzzNormalizePath(f *testing.F) {
	f.Add("M.754 9.58a.754.754 0 00-.754.758v2.525")
	f.Add("M1e-3.5.5zm1 1 2 2")
	f.Fuzz(func(t *testing.T, d string) {
		out, err := normalizePath(d)
		if err != nil {
			return
		}
		// Normalized data has no arcs and is a fixed point.
		if strings.ContainsAny(out, "Aa") {
			t.Fatalf("normalizePath(%q) = %q still has an arc", d, out)
		}
		again, err := normalizePath(out)
		if err != nil || again != out {
			t.Fatalf("normalizePath(%q) = %q, then %q, %v", d, out, again, err)
		}
	})
}
