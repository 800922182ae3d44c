package sync

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"

	"authdeck/vault"
)

// MaxWorkFactor is the most scrypt work a key file may ask for: one above
// what Authdeck writes, so that a key file put in the folder by someone else
// cannot make a join spend minutes and gigabytes before it fails.
const MaxWorkFactor = vault.DefaultWorkFactor + 1

// wrapIdentity returns the key file: id's secret key encrypted with the
// passphrase (age scrypt at 2^workFactor; zero means 18), ASCII-armored.
func wrapIdentity(id *age.X25519Identity, passphrase string, workFactor int) ([]byte, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	if workFactor > 0 {
		r.SetWorkFactor(workFactor)
	}
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, r)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "# Authdeck sync identity\n# public key: %s\n%s\n", id.Recipient(), id)
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// unwrapIdentity opens a key file with the passphrase: the one scrypt of a
// join, bounded by [MaxWorkFactor] before any of it is done.
func unwrapIdentity(keyFile []byte, passphrase string) (*age.X25519Identity, error) {
	if passphrase == "" {
		return nil, ErrWrongPassphrase
	}
	if n, ok := vault.ScryptWorkFactor(keyFile); !ok {
		return nil, fmt.Errorf("%w (the key file is not under a passphrase)", ErrDamagedKey)
	} else if n > MaxWorkFactor {
		return nil, fmt.Errorf("%w (2^%d)", ErrTooMuchWork, n)
	}
	sid, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	sid.SetMaxWorkFactor(MaxWorkFactor)
	r, err := age.Decrypt(armor.NewReader(bytes.NewReader(keyFile)), sid)
	if errors.Is(err, age.ErrIncorrectIdentity) || errors.As(err, new(*age.NoIdentityMatchError)) {
		return nil, ErrWrongPassphrase
	}
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrDamagedKey, err)
	}
	plain, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrDamagedKey, err)
	}
	ids, err := age.ParseIdentities(strings.NewReader(string(plain)))
	if err != nil || len(ids) != 1 {
		return nil, fmt.Errorf("%w (it holds no single age identity)", ErrDamagedKey)
	}
	id, ok := ids[0].(*age.X25519Identity)
	if !ok {
		return nil, fmt.Errorf("%w (it holds no X25519 identity)", ErrDamagedKey)
	}
	return id, nil
}
