package transfer

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"math"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/scrypt"
)

// Key derivations chosen by a file. An encrypted export names its own KDF
// parameters, and a hostile file can name ones that take minutes or
// gigabytes, or many key slots that each take seconds. Every import of one
// file gets one budget of work and memory for all its derivations together;
// a file that asks for more is refused before any of the work is done.
//
// Work is counted in units of one pass over a 1 KiB Argon2 block, about
// 1.5 µs on one core of a 2-core laptop: Argon2 costs its passes times its
// memory in KiB, scrypt N·r·p/4 (it touches 128·N·r bytes twice for each
// p), PBKDF2 a quarter of a unit an iteration for each output block of
// SHA-1 or SHA-256 and half a unit for SHA-512.

// ErrKDFTooCostly is returned for an encrypted file whose key derivation
// would cost more work or memory than any authenticator app asks for. No
// derivation was run.
var ErrKDFTooCostly = errors.New("the file asks for more key-derivation work than any authenticator app uses")

// kdfLimits is the budget of one file: the costliest default of any app,
// Ente Auth's (Argon2id over 1 GiB with 4 passes, or 256 MiB with 16: 4 Mi
// units, about 6 s on a slow laptop core), and a sixteenth more. Tests
// lower it.
var kdfLimits = kdfBudget{work: 1<<22 + 1<<18, memory: 1<<30 + 1<<20}

// kdfFormatLimits are smaller budgets for formats whose apps never come
// near kdfLimits: an Aegis vault may cost eight times Aegis' own password
// slot (scrypt N=2^15, r=8, p=1: 64 Ki units, about 0.1 s), spread over as
// many slots as it likes.
var kdfFormatLimits = map[Format]kdfBudget{
	FormatAegis: {work: 8 << 16, memory: 256 << 20},
}

// kdfBudget is what is left of one file's budget.
type kdfBudget struct {
	// work is the work left, in the units above.
	work int64
	// memory is the most memory, in bytes, one derivation may take.
	memory int64
}

// newKDFBudget returns a fresh budget for one file in format f.
func newKDFBudget(f Format) *kdfBudget {
	b := kdfLimits
	if l, ok := kdfFormatLimits[f]; ok {
		b.work, b.memory = min(b.work, l.work), min(b.memory, l.memory)
	}
	return &b
}

// kdfCost is the cost of one derivation.
type kdfCost struct {
	work, memory int64
}

// reserve refuses costs, the derivations that reading the file may need,
// if together they are over what is left of the budget. It spends nothing:
// each derivation spends its own cost when it runs.
func (b *kdfBudget) reserve(f Format, costs ...kdfCost) error {
	var work int64
	for _, c := range costs {
		if err := b.check(f, c, work); err != nil {
			return err
		}
		work += c.work
	}
	return nil
}

func (b *kdfBudget) check(f Format, c kdfCost, before int64) error {
	if c.memory > b.memory || c.memory < 0 {
		return &ImportError{Format: f, Err: fmt.Errorf("%w: %d MiB of memory, more than the %d MiB Authdeck allows", ErrKDFTooCostly, c.memory>>20, b.memory>>20)}
	}
	if c.work < 0 || before+c.work > b.work {
		return &ImportError{Format: f, Err: fmt.Errorf("%w: about %d times what Authdeck allows for one file", ErrKDFTooCostly, 1+(before+c.work)/max(b.work, 1))}
	}
	return nil
}

// spend takes c from the budget, or refuses it.
func (b *kdfBudget) spend(f Format, c kdfCost) error {
	if err := b.check(f, c, 0); err != nil {
		return err
	}
	b.work -= c.work
	return nil
}

// kdfHash is a hash PBKDF2 runs on.
type kdfHash int

const (
	kdfSHA1 kdfHash = iota
	kdfSHA256
	kdfSHA512
)

func (h kdfHash) new() func() hash.Hash {
	switch h {
	case kdfSHA256:
		return sha256.New
	case kdfSHA512:
		return sha512.New
	}
	return sha1.New
}

// pbkdf2Cost is the cost of PBKDF2 with iter iterations making keyLen bytes.
func pbkdf2Cost(h kdfHash, iter, keyLen int) kdfCost {
	size, per := 20, int64(4)
	switch h {
	case kdfSHA256:
		size = 32
	case kdfSHA512:
		size, per = 64, 2
	}
	blocks := int64((keyLen + size - 1) / size)
	w := mulCost(int64(iter), blocks)
	if w > 0 {
		w /= per
	}
	return kdfCost{work: w}
}

// mulCost multiplies costs, saturating instead of overflowing, so that
// parameters no app uses cannot wrap around to a small cost. A negative
// factor gives -1, which no budget accepts.
func mulCost(factors ...int64) int64 {
	out := int64(1)
	for _, f := range factors {
		switch {
		case f < 0:
			return -1
		case f != 0 && out > math.MaxInt64/f:
			return math.MaxInt64
		}
		out *= f
	}
	return out
}

// scryptCost is the cost of scrypt with parameters N, r and p.
func scryptCost(n, r, p int) kdfCost {
	w := mulCost(int64(n), int64(r), int64(p))
	if w > 0 {
		w /= 4
	}
	return kdfCost{work: w, memory: mulCost(128, int64(n), int64(r))}
}

// argon2Cost is the cost of Argon2 with t passes over memKiB KiB.
func argon2Cost(t uint32, memKiB uint32) kdfCost {
	return kdfCost{work: int64(t) * int64(memKiB), memory: int64(memKiB) << 10}
}

// pbkdf2 derives a key with PBKDF2-HMAC, spending its cost from b.
func (b *kdfBudget) pbkdf2(f Format, h kdfHash, pass, salt []byte, iter, keyLen int) ([]byte, error) {
	if iter < 1 || keyLen < 1 {
		return nil, importErr(f, "the key derivation's parameters are damaged (%d iterations)", iter)
	}
	if err := b.spend(f, pbkdf2Cost(h, iter, keyLen)); err != nil {
		return nil, err
	}
	return pbkdf2.Key(h.new(), string(pass), salt, iter, keyLen)
}

// scrypt derives a key with scrypt, spending its cost from b.
func (b *kdfBudget) scrypt(f Format, pass, salt []byte, n, r, p, keyLen int) ([]byte, error) {
	if n < 2 || n&(n-1) != 0 || r < 1 || p < 1 || r > 1<<20 || p > 1<<20 || n > 1<<40 {
		return nil, importErr(f, "the scrypt parameters (N=%d, r=%d, p=%d) are not valid", n, r, p)
	}
	if err := b.spend(f, scryptCost(n, r, p)); err != nil {
		return nil, err
	}
	key, err := scrypt.Key(pass, salt, n, r, p, keyLen)
	if err != nil {
		return nil, importErr(f, "the scrypt parameters (N=%d, r=%d, p=%d) are not valid: %v", n, r, p, err)
	}
	return key, nil
}

// argon2id derives a key with Argon2id version 1.3, spending its cost from
// b. memKiB is the memory in KiB and threads the parallelism (lanes).
func (b *kdfBudget) argon2id(f Format, pass, salt []byte, t, memKiB uint32, threads int, keyLen int) ([]byte, error) {
	if t < 1 || threads < 1 || threads > 255 || memKiB < 8*uint32(threads) || keyLen < 4 {
		return nil, importErr(f, "the Argon2id parameters (%d passes, %d KiB, %d lanes) are not valid", t, memKiB, threads)
	}
	if err := b.spend(f, argon2Cost(t, memKiB)); err != nil {
		return nil, err
	}
	return argon2.IDKey(pass, salt, t, memKiB, uint8(threads), uint32(keyLen)), nil
}
