package brands

import "testing"

// BenchmarkLoad is the one-time cost of the first lookup: reading the
// bundle's index and building the table of names.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := readBundle(bundle); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch is one tile's lookup, for an issuer that needs the
// word-by-word fallback.
func BenchmarkMatch(b *testing.B) {
	load()
	for b.Loop() {
		Match("Coinbase Wallet", "me@example.com")
	}
}

// BenchmarkRender48 is one tile's icon at 48 px.
func BenchmarkRender48(b *testing.B) {
	load()
	for b.Loop() {
		if _, err := Render("github", 48, Dark); err != nil {
			b.Fatal(err)
		}
	}
}
