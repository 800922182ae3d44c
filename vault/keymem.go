package vault

import (
	"reflect"
	"unsafe"

	"filippo.io/age"
)

// keep gives the store the vault's key. The identity's secret bytes are
// locked in memory where the system allows it (never written to swap), and
// a key it held before is wiped.
func (s *Store) keep(id *age.X25519Identity, mode Mode, block []byte) {
	if s.identity != nil && s.identity != id {
		wipeIdentity(s.identity)
	}
	if key := secretOf(id); key != nil {
		lockMemory(key)
	}
	s.identity, s.keyMode, s.keyBlock = id, mode, block
}

// wipeIdentity zeroes the secret bytes of id and lets the system swap them
// again. The identity is useless afterwards.
func wipeIdentity(id *age.X25519Identity) {
	if key := secretOf(id); key != nil {
		clear(key)
		unlockMemory(key)
	}
}

// secretOf returns the bytes that hold id's secret key, or nil. age keeps
// them in an unexported field; the memory is Authdeck's to wipe all the same,
// and a test notices if a later age moves them.
func secretOf(id *age.X25519Identity) []byte {
	if id == nil {
		return nil
	}
	v := reflect.ValueOf(id).Elem()
	f, ok := v.Type().FieldByName("secretKey")
	if !ok || f.Type != reflect.TypeFor[[]byte]() {
		return nil
	}
	return *(*[]byte)(unsafe.Pointer(v.FieldByIndex(f.Index).UnsafeAddr()))
}
