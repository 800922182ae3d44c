package transfer

import (
	"encoding/base64"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20"
	//lint:ignore SA1019 libsodium's secretstream is built on bare Poly1305
	"golang.org/x/crypto/poly1305"

	"authdeck/vault"
)

// genEnte writes an Ente Auth encrypted export as Ente's export page does:
// crypto_pwhash (Argon2id 1.3, one lane) of the password, then
// crypto_secretstream_xchacha20poly1305 init_push and one push of the plain
// export with the final tag. ops and mem are the KDF limits (Ente writes 4
// and 1 GiB, or 16 and 256 MiB).
func genEnte(t testing.TB, accounts []vault.Account, password string, ops uint32, mem uint32) []byte {
	salt := random(16)
	key := argon2.IDKey([]byte(password), salt, ops, mem>>10, 1, 32)
	header := random(secretstreamHeaderLen)
	sealed := secretstreamPush(t, key, header, urisExport(accounts), secretstreamTagFinal)
	b64 := base64.StdEncoding.EncodeToString
	return mustJSON(t, map[string]any{
		"version": 1, "encryptedData": b64(sealed), "encryptionNonce": b64(header),
		"kdfParams": map[string]any{"memLimit": mem, "opsLimit": ops, "salt": b64(salt)},
	})
}

// secretstreamPush is libsodium's crypto_secretstream_xchacha20poly1305_push
// of the first message of a stream, without associated data.
func secretstreamPush(t testing.TB, key, header, m []byte, tag byte) []byte {
	k, err := chacha20.HChaCha20(key, header[:16])
	if err != nil {
		t.Fatal(err)
	}
	nonce := make([]byte, 12)
	binary.LittleEndian.PutUint32(nonce, 1)
	copy(nonce[4:], header[16:])
	xor := func(counter uint32, dst, src []byte) {
		c, err := chacha20.NewUnauthenticatedCipher(k, nonce)
		if err != nil {
			t.Fatal(err)
		}
		c.SetCounter(counter)
		c.XORKeyStream(dst, src)
	}
	var block [64]byte
	xor(0, block[:], block[:])
	var polyKey [32]byte
	copy(polyKey[:], block[:32])
	mac := poly1305.New(&polyKey)
	clear(block[:])
	block[0] = tag
	xor(1, block[:], block[:])
	mac.Write(block[:])
	out := append([]byte{block[0]}, make([]byte, len(m))...)
	xor(2, out[1:], m)
	mac.Write(out[1:])
	mac.Write(make([]byte, (0x10-64+len(m))&0xf))
	var lens [16]byte
	binary.LittleEndian.PutUint64(lens[8:], uint64(64+len(m)))
	mac.Write(lens[:])
	return mac.Sum(out)
}

func enteCases(t testing.TB) []genCase {
	all := withoutGroups(genAccounts(t))
	return []genCase{{"ente_v1.txt", FormatEnte, fuzzPassword, genEnte(t, all, fuzzPassword, 2, 8<<20), all}}
}

// TestEnteLibsodium reads an export made with the real libsodium (Python's
// ctypes calling crypto_pwhash and the secretstream functions, as Ente does).
func TestEnteLibsodium(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "formats", "ente_libsodium.txt"))
	if err != nil {
		t.Fatal(err)
	}
	acme, _ := vault.ParseURI("otpauth://totp/ACME:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME")
	bank, _ := vault.ParseURI("otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQ&issuer=Bank&counter=7&digits=8")
	c := genCase{"ente_libsodium.txt", FormatEnte, "correct horse", data, []vault.Account{acme, bank}}
	checkImport(t, c, data, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
}

// TestEnteDefaultCost checks that Ente's own default KDF cost fits the
// budget of one file, and four times it does not.
func TestEnteDefaultCost(t *testing.T) {
	for _, p := range []struct{ ops, mem uint32 }{{4, 1 << 30}, {16, 256 << 20}} {
		if err := newKDFBudget(FormatEnte).reserve(FormatEnte, argon2Cost(p.ops, p.mem>>10)); err != nil {
			t.Errorf("Ente's default (%d passes, %d MiB): %v", p.ops, p.mem>>20, err)
		}
	}
	if err := newKDFBudget(FormatEnte).reserve(FormatEnte, argon2Cost(16, 1<<20)); err == nil {
		t.Error("16 passes over 1 GiB fit the budget")
	}
}

func FuzzImportEnte(f *testing.F) { fuzzImport(f, FormatEnte) }
