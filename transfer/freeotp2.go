package transfer

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"authdeck/vault"
)

// FreeOTP 2 backups (its only export): a java.util.HashMap<String, String>
// written by Java's ObjectOutputStream, FreeOTP's backup preferences. Key
// "masterKey" holds, as Gson JSON, the master key wrapped with AES-256-GCM
// under PBKDF2 (mAlgorithm PBKDF2withHmacSHA512, or ...SHA1 on old phones;
// mIterations, 100,000; mSalt, 32 bytes; the key as long as the salt). Each
// token has two keys: UUID, JSON {"key": EncryptedKey as JSON text}, the
// token's secret wrapped with AES-GCM under the master key; and UUID-token,
// the token as Gson JSON (issuerExt, label, their edited issuerAlt and
// labelAlt, type TOTP or HOTP, algo, digits, period, counter). An
// EncryptedKey has mCipher "AES/GCM/NoPadding", mCipherText (ciphertext and
// tag, Java's signed bytes), mParameters (DER of GCMParameters: the nonce
// and the tag length) and mToken, the algorithm of the wrapped key, which is
// the associated data. FreeOTP's counter is the one of the next code, and a
// TOTP token with issuer Steam makes Steam codes.

const freeotpMagic = "\xac\xed\x00\x05"

// freeotpLooksEncrypted reports whether data is a Java serialization stream.
func freeotpLooksEncrypted(data []byte) bool { return bytes.HasPrefix(data, []byte(freeotpMagic)) }

type freeotpEncryptedKey struct {
	Cipher     string `json:"mCipher"`
	CipherText []int  `json:"mCipherText"`
	Parameters []int  `json:"mParameters"`
	Token      string `json:"mToken"`
}

type freeotpMasterKey struct {
	Algorithm    string              `json:"mAlgorithm"`
	EncryptedKey freeotpEncryptedKey `json:"mEncryptedKey"`
	Iterations   int                 `json:"mIterations"`
	Salt         []int               `json:"mSalt"`
}

type freeotp2Token struct {
	Algo      *string `json:"algo"`
	IssuerExt string  `json:"issuerExt"`
	IssuerAlt *string `json:"issuerAlt"`
	Label     string  `json:"label"`
	LabelAlt  *string `json:"labelAlt"`
	Type      string  `json:"type"`
	Digits    *int    `json:"digits"`
	Period    *int    `json:"period"`
	Counter   uint64  `json:"counter"`
}

func freeotp2Import(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	m, err := javaStringMap(data)
	if err != nil {
		return nil, importErr(FormatFreeOTP, "the backup is damaged or truncated: %v", err)
	}
	raw, ok := m["masterKey"]
	if !ok {
		return nil, importErr(FormatFreeOTP, "the backup has no master key")
	}
	var mk freeotpMasterKey
	if err := json.Unmarshal([]byte(raw), &mk); err != nil {
		return nil, importErr(FormatFreeOTP, "the master key is damaged: %s", jsonReason(err))
	}
	h := kdfSHA512
	switch mk.Algorithm {
	case "PBKDF2withHmacSHA512":
	case "PBKDF2withHmacSHA1":
		h = kdfSHA1
	default:
		return nil, importErr(FormatFreeOTP, "the master key's derivation %q is not one FreeOTP uses", mk.Algorithm)
	}
	salt, err := javaBytes(mk.Salt)
	if err != nil || len(salt) == 0 {
		return nil, importErr(FormatFreeOTP, "the master key's salt is damaged")
	}
	if err := budget.reserve(FormatFreeOTP, pbkdf2Cost(h, mk.Iterations, len(salt))); err != nil {
		return nil, err
	}
	pass, err := askPassword(password)
	if err != nil {
		return nil, err
	}
	kek, err := budget.pbkdf2(FormatFreeOTP, h, []byte(pass), salt, mk.Iterations, len(salt))
	if err != nil {
		return nil, err
	}
	master, err := mk.EncryptedKey.open(kek)
	if errors.Is(err, ErrWrongPassword) {
		return nil, fmt.Errorf("%w for this FreeOTP backup", ErrWrongPassword)
	} else if err != nil {
		return nil, importErr(FormatFreeOTP, "the master key is damaged: %v", err)
	}
	var uuids []string
	for k := range m {
		if k != "masterKey" && !strings.HasSuffix(k, "-token") {
			uuids = append(uuids, k)
		}
	}
	sort.Strings(uuids)
	if len(uuids) > MaxImportEntries {
		return nil, importErr(FormatFreeOTP, "the file holds %d entries, more than the %d Authdeck imports at once", len(uuids), MaxImportEntries)
	}
	var entries []Entry
	for _, id := range uuids {
		entries = append(entries, freeotp2Entry(m[id], m[id+"-token"], master))
	}
	return entries, nil
}

func freeotp2Entry(keyJSON, tokenJSON string, master []byte) Entry {
	var t freeotp2Token
	if err := json.Unmarshal([]byte(tokenJSON), &t); err != nil {
		return invalidEntry("", "", fmt.Errorf("the token is damaged: %s", jsonReason(err)))
	}
	issuer, name := t.IssuerExt, t.Label
	if t.IssuerAlt != nil {
		issuer = *t.IssuerAlt
	}
	if t.LabelAlt != nil {
		name = *t.LabelAlt
	}
	var wrapper struct {
		Key string `json:"key"`
	}
	var ek freeotpEncryptedKey
	if json.Unmarshal([]byte(keyJSON), &wrapper) != nil || json.Unmarshal([]byte(wrapper.Key), &ek) != nil {
		return invalidEntry(issuer, name, errors.New("the encrypted secret is damaged"))
	}
	secret, err := ek.open(master)
	if err != nil {
		return invalidEntry(issuer, name, errors.New("the encrypted secret is damaged"))
	}
	a := vault.Account{Issuer: issuer, Name: name, Type: otpType(t.Type), Algorithm: vault.SHA1, Secret: secret}
	if t.Algo != nil {
		a.Algorithm = vault.Algorithm(*t.Algo)
	}
	if t.Digits != nil {
		a.Digits = *t.Digits
	}
	if t.Period != nil {
		a.Period = *t.Period
	}
	switch {
	case a.Type == vault.HOTP:
		a.Counter = t.Counter
	case a.Type == vault.TOTP && issuer == "Steam":
		a.Type = vault.Steam
	}
	return entryFrom(a, t.Type)
}

// open unwraps the key under kek. A key that does not authenticate means a
// wrong password.
func (k *freeotpEncryptedKey) open(kek []byte) ([]byte, error) {
	if k.Cipher != "AES/GCM/NoPadding" {
		return nil, fmt.Errorf("cipher %q is not one FreeOTP uses", k.Cipher)
	}
	ct, err1 := javaBytes(k.CipherText)
	params, err2 := javaBytes(k.Parameters)
	if errors.Join(err1, err2) != nil {
		return nil, errors.New("not a list of bytes")
	}
	nonce, err := gcmNonce(params)
	if err != nil {
		return nil, err
	}
	plain, err := gcmOpenAD(kek, nonce, ct, []byte(k.Token))
	if err != nil {
		return nil, ErrWrongPassword
	}
	return plain, nil
}

// javaBytes turns a JSON list of Java bytes (-128 to 127) into bytes.
func javaBytes(list []int) ([]byte, error) {
	out := make([]byte, len(list))
	for i, b := range list {
		if b < -128 || b > 255 {
			return nil, fmt.Errorf("%d is not a byte", b)
		}
		out[i] = byte(b)
	}
	return out, nil
}

// gcmNonce reads the nonce out of DER-encoded GCMParameters: SEQUENCE {
// OCTET STRING nonce, INTEGER tag length }, or a bare OCTET STRING.
func gcmNonce(der []byte) ([]byte, error) {
	tag, body, _, ok := derNext(der)
	if ok && tag == 0x30 {
		tag, body, _, ok = derNext(body)
	}
	if !ok || tag != 0x04 || len(body) != 12 {
		return nil, errors.New("the GCM parameters are damaged")
	}
	return body, nil
}

// derNext splits the first short-form DER element off b.
func derNext(b []byte) (tag byte, body, rest []byte, ok bool) {
	if len(b) < 2 || b[1] >= 0x80 || int(b[1]) > len(b)-2 {
		return 0, nil, nil, false
	}
	return b[0], b[2 : 2+int(b[1])], b[2+int(b[1]):], true
}

// Java serialization (Object Serialization Stream Protocol) of a HashMap
// whose keys and values are strings, as ObjectOutputStream writes it.
const (
	javaTCNull      = 0x70
	javaTCReference = 0x71
	javaTCClassDesc = 0x72
	javaTCObject    = 0x73
	javaTCString    = 0x74
	javaTCBlockData = 0x77
	javaTCEndBlock  = 0x78
	javaTCLongStr   = 0x7c
	javaBaseHandle  = 0x7e0000
)

// javaStringMap reads a serialized java.util.HashMap<String, String>.
func javaStringMap(data []byte) (map[string]string, error) {
	r := &javaReader{b: data}
	if !bytes.HasPrefix(data, []byte(freeotpMagic)) {
		return nil, errors.New("not a Java serialization stream")
	}
	r.b = r.b[4:]
	if r.byte() != javaTCObject || r.byte() != javaTCClassDesc {
		return nil, errors.New("not a serialized object")
	}
	r.handles++ // the class description
	if name := r.utf(); name != "java.util.HashMap" {
		return nil, fmt.Errorf("a %q, not a map", name)
	}
	r.skip(8) // serialVersionUID
	flags := r.byte()
	nfields := int(r.u16())
	fieldBytes := 0 // loadFactor and, since Java 1.2, threshold
	for i := 0; i < nfields && r.err == nil; i++ {
		code := r.byte()
		r.utf()
		switch code {
		case 'B', 'Z':
			fieldBytes++
		case 'C', 'S':
			fieldBytes += 2
		case 'F', 'I':
			fieldBytes += 4
		case 'D', 'J':
			fieldBytes += 8
		default:
			return nil, errors.New("the map has object fields")
		}
	}
	if r.byte() != javaTCEndBlock || r.byte() != javaTCNull {
		return nil, errors.New("the map's class description is damaged")
	}
	r.handles++ // the map itself
	r.skip(fieldBytes)
	if flags&0x01 == 0 || r.byte() != javaTCBlockData || r.byte() != 8 {
		return nil, errors.New("the map's size is missing")
	}
	r.skip(4) // capacity
	size := int(int32(r.u32()))
	if r.err != nil {
		return nil, r.err
	}
	if size < 0 || size > 2*MaxImportEntries+1 {
		return nil, fmt.Errorf("the map holds %d entries", size)
	}
	m := make(map[string]string, size)
	for i := 0; i < size; i++ {
		k, v := r.object(), r.object()
		if r.err != nil {
			return nil, r.err
		}
		m[k] = v
	}
	// HashMap.writeObject's data ends with TC_ENDBLOCKDATA: without it
	// the file was cut, and a cut file is refused whole.
	if r.byte() != javaTCEndBlock || r.err != nil {
		return nil, errors.New("the file ends before its map does: it was cut short")
	}
	return m, nil
}

type javaReader struct {
	b       []byte
	err     error
	handles int
	strings map[int]string
}

func (r *javaReader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		if r.err == nil {
			r.err = errors.New("truncated")
		}
		return make([]byte, max(n, 0))
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *javaReader) skip(n int)  { r.take(n) }
func (r *javaReader) byte() byte  { return r.take(1)[0] }
func (r *javaReader) u16() uint16 { return binary.BigEndian.Uint16(r.take(2)) }
func (r *javaReader) u32() uint32 { return binary.BigEndian.Uint32(r.take(4)) }
func (r *javaReader) utf() string { return javaUTF(r.take(int(r.u16()))) }
func (r *javaReader) long() string {
	return javaUTF(r.take(int(min(binary.BigEndian.Uint64(r.take(8)), uint64(len(r.b)+1)))))
}

// object reads a string, or a reference to one read before.
func (r *javaReader) object() string {
	switch r.byte() {
	case javaTCString:
		return r.keep(r.utf())
	case javaTCLongStr:
		return r.keep(r.long())
	case javaTCReference:
		h := int(r.u32()) - javaBaseHandle
		if s, ok := r.strings[h]; ok {
			return s
		}
	}
	if r.err == nil {
		r.err = errors.New("a value of the map is not a string")
	}
	return ""
}

func (r *javaReader) keep(s string) string {
	if r.strings == nil {
		r.strings = map[int]string{}
	}
	r.strings[r.handles] = s
	r.handles++
	return s
}

// javaUTF decodes Java's modified UTF-8: NUL as two bytes, and characters
// beyond the BMP as two three-byte surrogates.
func javaUTF(b []byte) string {
	var units []uint16
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			units = append(units, uint16(c))
			i++
		case c&0xe0 == 0xc0 && i+1 < len(b):
			units = append(units, uint16(c&0x1f)<<6|uint16(b[i+1]&0x3f))
			i += 2
		case c&0xf0 == 0xe0 && i+2 < len(b):
			units = append(units, uint16(c&0x0f)<<12|uint16(b[i+1]&0x3f)<<6|uint16(b[i+2]&0x3f))
			i += 3
		case c&0xf8 == 0xf0 && utf8.FullRune(b[i:]):
			// Standard UTF-8 where Java writes surrogates: read it too.
			r, n := utf8.DecodeRune(b[i:])
			units = utf16.AppendRune(units, r)
			i += n
		default:
			units = append(units, 0xfffd)
			i++
		}
	}
	return string(utf16.Decode(units))
}

// gcmOpenAD is gcmOpen with associated data.
func gcmOpenAD(key, nonce, sealed, ad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(nonce) != aead.NonceSize() {
		return nil, errors.New("the nonce is not 12 bytes")
	}
	return aead.Open(nil, nonce, sealed, ad)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
