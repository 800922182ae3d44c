package transfer

import (
	"bytes"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"authdeck/vault"
)

// genFreeOTP2 writes a FreeOTP 2 backup as TokenPersistence and its
// encryptor write it: the backup preferences (masterKey, and per token UUID
// and UUID-token) as Gson JSON in a HashMap<String, String> written by
// ObjectOutputStream. oldMap writes the HashMap class of old Android
// versions, whose only serialized field is loadFactor; sha1 the master key
// of phones without PBKDF2withHmacSHA512.
func genFreeOTP2(t testing.TB, accounts []vault.Account, password string, oldMap, sha1KDF bool) []byte {
	salt := random(32)
	algo, h := "PBKDF2withHmacSHA512", sha512.New
	if sha1KDF {
		algo, h = "PBKDF2withHmacSHA1", sha1.New
	}
	kek, err := pbkdf2.Key(h, password, salt, 1000, len(salt))
	if err != nil {
		t.Fatal(err)
	}
	master := random(32)
	prefs := map[string]string{"masterKey": string(mustJSONCompact(t, map[string]any{
		"mAlgorithm": algo, "mEncryptedKey": freeotpWrap(t, kek, master, "AES"), "mIterations": 1000, "mSalt": javaSigned(salt),
	}))}
	for i, a := range accounts {
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		key := mustJSONCompact(t, freeotpWrap(t, master, a.Secret, "Hmac"+string(a.Algorithm)))
		prefs[id] = string(mustJSONCompact(t, map[string]string{"key": string(key)}))
		typ := "TOTP"
		if a.Type == vault.HOTP {
			typ = "HOTP"
		}
		tok := map[string]any{"algo": string(a.Algorithm), "issuerExt": a.Issuer, "issuerInt": a.Issuer, "label": a.Name,
			"lock": false, "period": stratumPeriod(a.Period), "digits": a.Digits, "type": typ, "counter": a.Counter}
		if i == 1 {
			tok["issuerExt"], tok["issuerAlt"] = "Old name", a.Issuer // renamed in FreeOTP
		}
		prefs[id+"-token"] = string(mustJSONCompact(t, tok))
	}
	return javaSerializeMap(prefs, oldMap)
}

func mustJSONCompact(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// freeotpWrap is EncryptedKey.encrypt: AES-GCM with a random 12-byte IV and
// the wrapped key's algorithm as associated data; the parameters are the
// DER of GCMParameters.
func freeotpWrap(t testing.TB, kek, key []byte, token string) map[string]any {
	nonce := random(12)
	sealed, err := gcmOpenADSeal(kek, nonce, key, []byte(token))
	if err != nil {
		t.Fatal(err)
	}
	params := append(append([]byte{0x30, 0x11, 0x04, 0x0c}, nonce...), 0x02, 0x01, 0x10)
	return map[string]any{"mCipher": "AES/GCM/NoPadding", "mCipherText": javaSigned(sealed), "mParameters": javaSigned(params), "mToken": token}
}

func gcmOpenADSeal(key, nonce, plain, ad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	return aead.Seal(nil, nonce, plain, ad), nil
}

// javaSigned is a byte[] as Gson writes it: signed numbers.
func javaSigned(b []byte) []int {
	out := make([]int, len(b))
	for i, c := range b {
		out[i] = int(int8(c))
	}
	return out
}

// javaSerializeMap is ObjectOutputStream.writeObject of a HashMap<String,
// String> (strings shorter than 64 KiB).
func javaSerializeMap(m map[string]string, oldMap bool) []byte {
	var b bytes.Buffer
	u16 := func(n int) { binary.Write(&b, binary.BigEndian, uint16(n)) }
	u32 := func(n uint32) { binary.Write(&b, binary.BigEndian, n) }
	utf := func(s string) { m := javaModifiedUTF8(s); u16(len(m)); b.Write(m) }
	b.WriteString(freeotpMagic)
	b.Write([]byte{javaTCObject, javaTCClassDesc})
	utf("java.util.HashMap")
	binary.Write(&b, binary.BigEndian, int64(362498820763181265))
	b.WriteByte(0x03) // SC_WRITE_METHOD | SC_SERIALIZABLE
	if oldMap {
		u16(1)
		b.WriteByte('F')
		utf("loadFactor")
	} else {
		u16(2)
		b.WriteByte('F')
		utf("loadFactor")
		b.WriteByte('I')
		utf("threshold")
	}
	b.Write([]byte{javaTCEndBlock, javaTCNull})
	u32(math.Float32bits(0.75))
	capacity := uint32(16)
	for capacity*3/4 < uint32(len(m)) {
		capacity *= 2
	}
	if !oldMap {
		u32(capacity * 3 / 4)
	}
	b.Write([]byte{javaTCBlockData, 8})
	u32(capacity)
	u32(uint32(len(m)))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return strings.Compare(keys[i], keys[j]) > 0 }) // any order: HashMap's
	for _, k := range keys {
		b.WriteByte(javaTCString)
		utf(k)
		b.WriteByte(javaTCString)
		utf(m[k])
	}
	b.WriteByte(javaTCEndBlock)
	return b.Bytes()
}

func freeotp2Cases(t testing.TB) []genCase {
	var accounts []vault.Account
	for _, a := range withoutGroups(genAccounts(t)) {
		if a.Type == vault.Steam {
			a.Issuer = "Steam"
		}
		accounts = append(accounts, a)
	}
	// FreeOTP reads the tokens in UUID order here.
	return []genCase{
		{"freeotp2.xml", FormatFreeOTP, fuzzPassword, genFreeOTP2(t, accounts, fuzzPassword, false, false), accounts},
		{"freeotp2_old_android.xml", FormatFreeOTP, fuzzPassword, genFreeOTP2(t, accounts, fuzzPassword, true, true), accounts},
		{"freeotp_tokens.xml", FormatFreeOTP, "", genFreeOTPPrefs(t, onlyTypes(accounts, vault.TOTP, vault.HOTP)), onlyTypes(accounts, vault.TOTP, vault.HOTP)},
	}
}

// genFreeOTPPrefs writes the tokens.xml of FreeOTP before 2.0 and of
// FreeOTP+, as Android writes shared preferences: the token order first
// here, though Android writes the map in hash order.
func genFreeOTPPrefs(t testing.TB, accounts []vault.Account) []byte {
	tokens, order := freeotpTokens(accounts)
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n")
	str := func(name string, v any) {
		b.WriteString(`    <string name="`)
		xml.EscapeText(&b, []byte(name))
		b.WriteString(`">`)
		var value strings.Builder
		xml.EscapeText(&value, mustJSONCompact(t, v))
		b.WriteString(strings.ReplaceAll(value.String(), "&#34;", "&quot;")) // as Android writes it
		b.WriteString("</string>\n")
	}
	for i := len(tokens) - 1; i >= 0; i-- { // not in the app's order
		str(order[i], tokens[i])
	}
	str("tokenOrder", order)
	b.WriteString("</map>\n")
	return []byte(b.String())
}

// javaModifiedUTF8 writes s as Java's writeUTF does: NUL as C0 80, and a
// character beyond U+FFFF as its two UTF-16 surrogates, three bytes each.
func javaModifiedUTF8(s string) []byte {
	var out []byte
	for _, r := range s {
		switch {
		case r == 0:
			out = append(out, 0xc0, 0x80)
		case r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			for _, u := range []rune{hi, lo} {
				out = append(out, 0xe0|byte(u>>12), 0x80|byte(u>>6)&0x3f, 0x80|byte(u)&0x3f)
			}
		default:
			out = utf8.AppendRune(out, r)
		}
	}
	return out
}

func TestJavaUTF(t *testing.T) {
	// NUL as C0 80, and U+1F600 as its two surrogates in three bytes each.
	if got := javaUTF([]byte("a\xc0\x80\xed\xa0\xbd\xed\xb8\x80é")); got != "a\x00\U0001F600é" {
		t.Errorf("got %q", got)
	}
	// Standard UTF-8 of U+1F600 reads as well, and javaModifiedUTF8 writes
	// what javaUTF reads.
	if got := javaUTF([]byte("a\U0001F600é")); got != "a\U0001F600é" {
		t.Errorf("standard UTF-8: got %q", got)
	}
	if got := javaUTF(javaModifiedUTF8("x\x00名前🔐")); got != "x\x00名前🔐" {
		t.Errorf("round trip: got %q", got)
	}
}

// TestFreeOTP2HostileIterations is the fuzzer's find: an iteration count
// whose cost overflowed to a small number ran PBKDF2 for ever. It is
// refused at once.
func TestFreeOTP2HostileIterations(t *testing.T) {
	for _, iter := range []string{"4611686018427387904", "9223372036854775807", "-5"} {
		// A 256-byte salt makes a 256-byte key: 4 blocks of SHA-512, and
		// 2^62 iterations times 4 is 2^64, which wrapped to 0.
		salt := strings.Repeat("7,", 255) + "7"
		mk := `{"mAlgorithm":"PBKDF2withHmacSHA512","mEncryptedKey":{"mCipher":"AES/GCM/NoPadding","mCipherText":[1],"mParameters":[1],"mToken":"AES"},"mIterations":` +
			iter + `,"mSalt":[` + salt + `]}`
		start := time.Now()
		_, err := ImportAccounts(javaSerializeMap(map[string]string{"masterKey": mk}, false), FormatAuto, func() (string, error) { return "x", nil })
		var ierr *ImportError
		if !errors.As(err, &ierr) || time.Since(start) > time.Second {
			t.Errorf("%s iterations: %v after %v", iter, err, time.Since(start))
		}
	}
}
