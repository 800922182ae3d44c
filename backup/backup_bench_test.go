//go:build unix

package backup

import (
	"fmt"
	"path/filepath"
	"testing"

	"filippo.io/age"
	"golang.org/x/crypto/scrypt"

	"authdeck/internal/testenv"
	"authdeck/vault"
)

// The budget of issue 5: export and restore of 1,000 accounts cost no more
// than the scrypt step plus 50 ms, at the real scrypt cost of 18. Run:
//
//	scripts/session go test -run '^$' -bench . -benchtime 5x ./backup/
//
// Each benchmark also reports cpu-ms/op (testenv.CPU).
const bkRealWorkFactor = 18

// bkThousand returns a vault of 1,000 accounts with a backup key at the real
// scrypt cost.
func bkThousand(b *testing.B) *vault.Vault {
	v := &vault.Vault{Version: vault.FormatVersion, Revision: 1000,
		Device: vault.Device{ID: vault.NewID(), Name: "bench"}}
	for i := range 1000 {
		a := vault.Account{ID: vault.NewID(), Issuer: fmt.Sprintf("Issuer %d", i%37), Name: fmt.Sprintf("user%d@example.com", i),
			Secret: []byte(fmt.Sprintf("secret-%04d-0123456789", i)), Group: fmt.Sprint("group ", i%5), Created: bkAt, Updated: bkAt}
		if i%10 == 0 {
			a.Binding = vault.DeviceBound
		}
		a.Normalize()
		v.Accounts = append(v.Accounts, a)
	}
	if err := SetPassphrase(&v.Backup, bkPass, bkRealWorkFactor); err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkScrypt is the scrypt step alone, as age runs it for a passphrase
// of cost 18: the floor of every restore.
func BenchmarkScrypt(b *testing.B) {
	salt := make([]byte, 16+len("age-encryption.org/v1/scrypt"))
	defer testenv.CPU(b)()
	for b.Loop() {
		if _, err := scrypt.Key([]byte(bkPass), salt, 1<<bkRealWorkFactor, 8, 1, 32); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExport encodes 1,000 accounts and writes them as a backup file,
// recording the status, as `authdeck backup export` does. It needs no scrypt:
// the key block is copied from the vault.
func BenchmarkExport(b *testing.B) {
	v := bkThousand(b)
	store := vault.NewStore(b.TempDir(), vault.Options{})
	dir := b.TempDir()
	i := 0
	defer testenv.CPU(b)()
	for b.Loop() {
		i++
		if err := Export(store, v, filepath.Join(dir, fmt.Sprint(i, Ext)), bkAt); err != nil {
			b.Fatal(err)
		}
	}
}

// bkFile writes a backup of 1,000 accounts and returns its path.
func bkFile(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "b"+Ext)
	if err := WriteFile(path, bkThousand(b), bkAt); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkRestore reads and decrypts a backup of 1,000 accounts with its
// passphrase (scrypt at cost 18), and restores it into an empty vault under
// the merge rule.
func BenchmarkRestore(b *testing.B) {
	path := bkFile(b)
	defer testenv.CPU(b)()
	for b.Loop() {
		bk, err := ReadFile(path, bkPass)
		if err != nil {
			b.Fatal(err)
		}
		if _, changed, err := bk.Restore(&vault.Vault{}, vault.RefuseConflicts, bkAt); err != nil || len(changed) != 1000 {
			b.Fatal(err, len(changed))
		}
	}
}

// BenchmarkMerge is the restore's merge alone: 1,000 accounts planned and
// applied into an empty vault, and again into the vault that has them all
// (every one compared, the slowest case).
func BenchmarkMerge(b *testing.B) {
	v := bkThousand(b)
	data, err := Encode(v, bkAt)
	if err != nil {
		b.Fatal(err)
	}
	bk, err := decode(data, bkPass, maxWorkFactor)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("empty", func(b *testing.B) {
		defer testenv.CPU(b)()
		for b.Loop() {
			if _, changed, err := bk.Restore(&vault.Vault{}, vault.RefuseConflicts, bkAt); err != nil || len(changed) != 1000 {
				b.Fatal(err, len(changed))
			}
		}
	})
	b.Run("present", func(b *testing.B) {
		defer testenv.CPU(b)()
		for b.Loop() {
			plan, _, err := bk.Restore(v, vault.RefuseConflicts, bkAt)
			if err != nil || plan.Count(vault.Present) != 1000 {
				b.Fatal(err, plan.Count(vault.Present))
			}
		}
	})
}

// BenchmarkRestoreStore is BenchmarkRestore into a real vault store on the
// real keychain: with the vault's encryption and its durable save.
func BenchmarkRestoreStore(b *testing.B) {
	path := bkFile(b)
	defer testenv.CPU(b)()
	for b.Loop() {
		b.StopTimer()
		s := bkRealStore(b, "bench")
		b.StartTimer()
		bk, err := ReadFile(path, bkPass)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Update(func(v *vault.Vault) error {
			_, _, err := bk.Restore(v, vault.RefuseConflicts, bkAt)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode is the export without the disk: JSON, age and armor.
func BenchmarkEncode(b *testing.B) {
	v := bkThousand(b)
	defer testenv.CPU(b)()
	for b.Loop() {
		if _, err := Encode(v, bkAt); err != nil {
			b.Fatal(err)
		}
	}
}

// bkUnwrapped returns a backup of 1,000 accounts and its identity, unwrapped
// from the passphrase once, so that benchmarks can leave the scrypt step out.
func bkUnwrapped(b *testing.B) ([]byte, *age.X25519Identity) {
	data, err := Encode(bkThousand(b), bkAt)
	if err != nil {
		b.Fatal(err)
	}
	blocks, err := splitFile(data)
	if err != nil {
		b.Fatal(err)
	}
	id, err := unwrapIdentityMax(blocks.identity, bkPass, maxWorkFactor)
	if err != nil {
		b.Fatal(err)
	}
	return data, id
}

// bkOpen decrypts the contents block of a backup with its identity.
func bkOpen(b *testing.B, data []byte, id *age.X25519Identity) []byte {
	blocks, err := splitFile(data)
	if err != nil {
		b.Fatal(err)
	}
	plain, err := openAge(blocks.contents, id)
	if err != nil {
		b.Fatal(err)
	}
	return plain
}

// BenchmarkDecode is the restore's reading without the scrypt step: the
// contents block decrypted with the unwrapped identity, checked and parsed.
func BenchmarkDecode(b *testing.B) {
	data, id := bkUnwrapped(b)
	defer testenv.CPU(b)()
	for b.Loop() {
		plain := bkOpen(b, data, id)
		if _, err := parseContents(plain); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRestoreStoreAfterScrypt is all of BenchmarkRestoreStore but the
// scrypt step: the part of a restore that the budget's 50 ms is for.
func BenchmarkRestoreStoreAfterScrypt(b *testing.B) {
	data, id := bkUnwrapped(b)
	defer testenv.CPU(b)()
	for b.Loop() {
		b.StopTimer()
		s := bkRealStore(b, "bench")
		b.StartTimer()
		plain := bkOpen(b, data, id)
		bk, err := parseContents(plain)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Update(func(v *vault.Vault) error {
			_, _, err := bk.Restore(v, vault.RefuseConflicts, bkAt)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
