package transfer

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// aegisSlots returns an encrypted Aegis vault header with n password slots
// at scrypt N and r = 8, none of which the password opens.
func aegisSlots(n, scryptN int) []byte {
	var slots []string
	for i := 0; i < n; i++ {
		slots = append(slots, fmt.Sprintf(`{"type":1,"uuid":"u%d","key":"%s","key_params":{"nonce":"%s","tag":"%s"},"n":%d,"r":8,"p":1,"salt":"%s"}`,
			i, hex.EncodeToString(random(32)), hex.EncodeToString(random(12)), hex.EncodeToString(random(16)), scryptN, hex.EncodeToString(random(32))))
	}
	return []byte(`{"version":1,"header":{"slots":[` + strings.Join(slots, ",") + `],"params":{"nonce":"000000000000000000000000","tag":"00000000000000000000000000000000"}},"db":"AAAA"}`)
}

// TestKDFBudgetAcrossSlots checks that the budget is one for all the key
// slots of a file: four slots that each fit are refused together at once,
// before any scrypt work and before the password is asked for.
func TestKDFBudgetAcrossSlots(t *testing.T) {
	// Four slots at 2^17: 1 Mi units, twice an Aegis file's budget, each
	// under it (the old bound let each slot cost 2^22 N·r: 6 to 15 s for
	// four).
	asked := false
	start := time.Now()
	_, err := ImportAccounts(aegisSlots(4, 1<<17), FormatAegis, func() (string, error) { asked = true; return "x", nil })
	if !errors.Is(err, ErrKDFTooCostly) || asked || time.Since(start) > time.Second {
		t.Errorf("four costly slots: %v after %v (password asked: %v); want ErrKDFTooCostly at once", err, time.Since(start), asked)
	}
	if err := newKDFBudget(FormatAegis).reserve(FormatAegis, scryptCost(1<<17, 8, 1)); err != nil {
		t.Errorf("one slot at 2^17: %v", err)
	}
	if err := newKDFBudget(FormatAegis).reserve(FormatAegis, scryptCost(1<<19, 8, 1)); err == nil {
		t.Error("one slot at 2^19 (16 times Aegis) fits an Aegis file's budget")
	}
	// Aegis' own vault with four slots fits.
	if err := newKDFBudget(FormatAegis).reserve(FormatAegis, scryptCost(1<<15, 8, 1), scryptCost(1<<15, 8, 1), scryptCost(1<<15, 8, 1), scryptCost(1<<15, 8, 1)); err != nil {
		t.Errorf("four Aegis slots: %v", err)
	}
}

// TestKDFBudgetSpends checks that the work done is taken from the budget:
// a second derivation that would go past what is left is refused.
func TestKDFBudgetSpends(t *testing.T) {
	b := &kdfBudget{work: 3000, memory: 1 << 20}
	if _, err := b.pbkdf2(FormatAndOTP, kdfSHA1, []byte("pw"), []byte("salt"), 8000, 20); err != nil {
		t.Fatal(err)
	}
	if b.work != 1000 {
		t.Errorf("left %d, want 1000", b.work)
	}
	if _, err := b.pbkdf2(FormatAndOTP, kdfSHA1, []byte("pw"), []byte("salt"), 8000, 20); !errors.Is(err, ErrKDFTooCostly) {
		t.Errorf("second derivation: %v, want ErrKDFTooCostly", err)
	}
	if _, err := b.argon2id(FormatEnte, []byte("pw"), []byte("saltsaltsaltsalt"), 1, 2048, 1, 32); !errors.Is(err, ErrKDFTooCostly) {
		t.Errorf("2 MiB of memory with 1 MiB allowed: %v, want ErrKDFTooCostly", err)
	}
}

// TestKDFHostileParameters checks that parameters no KDF accepts are refused
// as damaged, without a panic.
func TestKDFHostileParameters(t *testing.T) {
	b := newKDFBudget(FormatEnte)
	for name, err := range map[string]error{
		"argon2 0 passes":  second(b.argon2id(FormatEnte, nil, nil, 0, 64, 1, 32)),
		"argon2 0 lanes":   second(b.argon2id(FormatEnte, nil, nil, 1, 64, 0, 32)),
		"argon2 256 lanes": second(b.argon2id(FormatEnte, nil, nil, 1, 1<<20, 256, 32)),
		"scrypt N=3":       second(b.scrypt(FormatAegis, nil, nil, 3, 8, 1, 32)),
		"pbkdf2 0":         second(b.pbkdf2(FormatAndOTP, kdfSHA1, nil, nil, 0, 32)),
	} {
		var ierr *ImportError
		if !errors.As(err, &ierr) {
			t.Errorf("%s: %v, want an ImportError", name, err)
		}
	}
}

// TestKDFCostOverflow checks that parameters whose cost overflows are
// refused instead of wrapping around to a small cost.
func TestKDFCostOverflow(t *testing.T) {
	b := newKDFBudget(FormatFreeOTP)
	for name, c := range map[string]kdfCost{
		"pbkdf2 2^62 iterations": pbkdf2Cost(kdfSHA512, 1<<62, 4096),
		"scrypt 2^40·2^20·2^20":  scryptCost(1<<40, 1<<20, 1<<20),
		"pbkdf2 -1 iterations":   pbkdf2Cost(kdfSHA1, -1, 32),
	} {
		if err := b.reserve(FormatFreeOTP, c); !errors.Is(err, ErrKDFTooCostly) {
			t.Errorf("%s (work %d, memory %d): %v", name, c.work, c.memory, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// BenchmarkAegisCostlySlots measures how long an Aegis file takes to fail:
// four slots at 2^17 are refused before any work; eight slots at Aegis' own
// cost, the most an Aegis file may spend, all run with a wrong password.
func BenchmarkAegisCostlySlots(b *testing.B) {
	for _, c := range []struct {
		name     string
		slots, n int
	}{{"refused-4x2^17", 4, 1 << 17}, {"wrong-password-8x2^15", 8, 1 << 15}} {
		data := aegisSlots(c.slots, c.n)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ImportAccounts(data, FormatAegis, func() (string, error) { return "x", nil }); err == nil {
					b.Fatal("opened")
				}
			}
		})
	}
}
