package vault

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The Argon2id cost of a new app passphrase hash, and the most a stored hash
// may ask for: a hash is read from the vault and from backups, so whoever
// writes one must not make checking it take minutes or gigabytes.
const (
	lockHashMemory    = 64 * 1024 // KiB
	lockHashTime      = 2
	lockHashMaxMemory = 512 * 1024
	lockHashMaxTime   = 16
	lockHashMaxLanes  = 16
)

// ErrBadLockHash is returned for an app passphrase hash that is not one
// Authdeck writes, or that asks for more work than it ever writes.
var ErrBadLockHash = errors.New("the app passphrase hash is damaged")

// HashLockPassphrase returns the hash of pass that the lock of a
// keychain-mode vault keeps in [Prefs.LockHash]: Argon2id with a random salt,
// in the PHC string format ("$argon2id$v=19$m=65536,t=2,p=1$SALT$HASH").
func HashLockPassphrase(pass string) (string, error) {
	if pass == "" {
		return "", ErrPassphraseNeeded
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return formatLockHash(lockHash{memory: lockHashMemory, time: lockHashTime, lanes: 1, salt: salt,
		sum: argon2.IDKey([]byte(pass), salt, lockHashTime, lockHashMemory, 1, 32)}), nil
}

// CheckLockPassphrase reports whether pass matches hash: nil, or
// [ErrWrongPassphrase], or [ErrBadLockHash] for a hash it cannot read. The
// work is bounded before it is done.
func CheckLockPassphrase(hash, pass string) error {
	h, err := parseLockHash(hash)
	if err != nil {
		return err
	}
	sum := argon2.IDKey([]byte(pass), h.salt, h.time, h.memory, h.lanes, uint32(len(h.sum)))
	defer clear(sum)
	if subtle.ConstantTimeCompare(sum, h.sum) != 1 {
		return ErrWrongPassphrase
	}
	return nil
}

type lockHash struct {
	memory, time uint32
	lanes        uint8
	salt, sum    []byte
}

var b64 = base64.RawStdEncoding

// decode64 reads the PHC string format's base64 in its one canonical
// spelling (no line breaks, no stray bits), or returns nil.
func decode64(s string) []byte {
	b, err := b64.DecodeString(s)
	if err != nil || b64.EncodeToString(b) != s {
		return nil
	}
	return b
}

func formatLockHash(h lockHash) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.memory, h.time, h.lanes,
		b64.EncodeToString(h.salt), b64.EncodeToString(h.sum))
}

func parseLockHash(s string) (lockHash, error) {
	var h lockHash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return h, ErrBadLockHash
	}
	var lanes uint32
	// The parameters in their one canonical spelling only.
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.memory, &h.time, &lanes); n != 3 || err != nil ||
		fmt.Sprintf("m=%d,t=%d,p=%d", h.memory, h.time, lanes) != parts[3] {
		return h, ErrBadLockHash
	}
	if h.time < 1 || h.time > lockHashMaxTime || lanes < 1 || lanes > lockHashMaxLanes ||
		h.memory < 8*lanes || h.memory > lockHashMaxMemory {
		return h, ErrBadLockHash
	}
	h.lanes = uint8(lanes)
	h.salt, h.sum = decode64(parts[4]), decode64(parts[5])
	if len(h.salt) < 8 || len(h.salt) > 64 || len(h.sum) < 16 || len(h.sum) > 64 {
		return h, ErrBadLockHash
	}
	return h, nil
}
