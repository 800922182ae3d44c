package backup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"filippo.io/age"

	"authdeck/vault"
)

// maxWorkFactor is the highest scrypt cost a backup may ask for: one more
// than the 18 that Authdeck writes. A file that asks for more (age itself
// would go up to 22: 15 s and 4 GB) is refused before the work.
const maxWorkFactor = vault.DefaultWorkFactor + 1

// ReadFile reads the backup file at path and decrypts it with passphrase; see
// [Decode].
func ReadFile(path, passphrase string) (*Backup, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the backup: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the backup: %w", err)
	}
	return Decode(data, passphrase)
}

// Decode decrypts a backup file with its passphrase and checks everything in
// it. It returns [ErrNotBackup], [ErrNewerVersion], [ErrDamaged] or
// [ErrWrongPassphrase] for a file it cannot use.
func Decode(data []byte, passphrase string) (*Backup, error) {
	return decode(data, passphrase, maxWorkFactor)
}

func decode(data []byte, passphrase string, maxWF int) (*Backup, error) {
	b, err := splitFile(data)
	if err != nil {
		return nil, err
	}
	id, err := unwrapIdentityMax(b.identity, passphrase, maxWF)
	if err != nil {
		return nil, err
	}
	plain, err := openAge(b.contents, id)
	if err != nil {
		return nil, fmt.Errorf("%w (the contents block: %v)", ErrDamaged, err)
	}
	return parseContents(plain)
}

// unwrapIdentity decrypts a wrapped backup identity (armored or not) with the
// passphrase.
func unwrapIdentity(wrapped []byte, passphrase string) (*age.X25519Identity, error) {
	if block, _, err := cutBlock(wrapped); err == nil {
		wrapped = block
	}
	return unwrapIdentityMax(wrapped, passphrase, maxWorkFactor)
}

func unwrapIdentityMax(wrapped []byte, passphrase string, maxWF int) (*age.X25519Identity, error) {
	if passphrase == "" {
		return nil, ErrWrongPassphrase
	}
	if n, ok := vault.ScryptWorkFactor(wrapped); !ok {
		return nil, fmt.Errorf("%w (the key block is not under a passphrase)", ErrDamaged)
	} else if n > maxWF {
		return nil, fmt.Errorf("%w (2^%d)", ErrTooMuchWork, n)
	}
	sid, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	sid.SetMaxWorkFactor(maxWF)
	plain, err := openAge(wrapped, sid)
	if errors.Is(err, age.ErrIncorrectIdentity) {
		return nil, ErrWrongPassphrase
	}
	if err != nil {
		return nil, fmt.Errorf("%w (the key block: %v)", ErrDamaged, err)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(plain))
	if err != nil || len(ids) != 1 {
		return nil, fmt.Errorf("%w (the key block holds no single age identity)", ErrDamaged)
	}
	id, ok := ids[0].(*age.X25519Identity)
	if !ok {
		return nil, fmt.Errorf("%w (the key block holds no X25519 identity)", ErrDamaged)
	}
	return id, nil
}

// openAge decrypts a binary age file with id, reading at most MaxSize bytes.
func openAge(file []byte, id age.Identity) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(file), id)
	if err != nil {
		return nil, err
	}
	plain, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(plain) > MaxSize {
		return nil, errors.New("too large")
	}
	return plain, nil
}

// parseContents checks and converts the decrypted contents of a backup.
func parseContents(plain []byte) (*Backup, error) {
	var c fileContents
	if err := json.Unmarshal(plain, &c); err != nil {
		return nil, fmt.Errorf("%w (its contents are not valid JSON: %v)", ErrDamaged, err)
	}
	if c.Format != formatName {
		return nil, fmt.Errorf("%w (its contents are not marked %q)", ErrDamaged, formatName)
	}
	if c.Version > FormatVersion {
		return nil, fmt.Errorf("%w (format %d; this one reads up to %d)", ErrNewerVersion, c.Version, FormatVersion)
	}
	if c.Version < 1 {
		return nil, fmt.Errorf("%w (format version %d)", ErrDamaged, c.Version)
	}
	if len(c.Accounts) > MaxAccounts {
		return nil, fmt.Errorf("%w (%d)", ErrTooManyAccounts, len(c.Accounts))
	}
	b := &Backup{
		Version: c.Version, Created: c.Created, Device: c.Device, Revision: c.Revision,
		Prefs: c.Prefs, Accounts: make([]vault.Account, 0, len(c.Accounts)),
	}
	for i, s := range c.Accounts {
		a := vault.Account{
			ID: s.ID, Issuer: s.Issuer, Name: s.Name, Type: s.Type, Algorithm: s.Algorithm,
			Digits: s.Digits, Period: s.Period, Counter: s.Counter, Binding: s.Binding,
			Group: s.Group, Created: s.Created, Updated: s.Updated,
		}
		if a.Binding == vault.DeviceBound {
			// A device-bound secret never comes from another device: this
			// device completes the account with a credential of its own.
			a.NeedsVerification = true
		} else if s.Secret != "" {
			secret, err := secretB32.DecodeString(s.Secret)
			if err != nil {
				return nil, fmt.Errorf("%w (the secret of account %d is not base32)", ErrDamaged, i+1)
			}
			a.Secret = secret
		}
		b.Accounts = append(b.Accounts, a)
	}
	return b, nil
}

// Preview returns what restoring b into v would do, without changing v: which
// accounts are new, already present, in conflict, or invalid. Device-bound
// accounts are new accounts that need verification.
func (b *Backup) Preview(v *vault.Vault) vault.Plan {
	return v.Plan(b.Accounts)
}

// Restore brings b's accounts into v under the vault's merge rule (see
// [vault.Vault.Plan]): new ones are added after v's accounts in the backup's
// order, present ones are skipped, and nothing is ever overwritten or deleted.
// With [vault.RefuseConflicts], any conflict changes nothing and returns a
// [*vault.ConflictError]. A vault without accounts also takes b's preferences.
// It returns the plan it carried out and the IDs of the accounts it added or
// completed. Call it inside [vault.Store.Update], so that an error saves
// nothing.
func (b *Backup) Restore(v *vault.Vault, m vault.Merge, now time.Time) (vault.Plan, []string, error) {
	empty := len(v.Accounts) == 0
	plan := v.Plan(b.Accounts)
	changed, err := v.Apply(plan, m, now)
	if err != nil {
		return plan, nil, err
	}
	if empty && len(changed) > 0 {
		v.Prefs = b.Prefs
	}
	return plan, changed, nil
}
