package transfer

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20"
	//lint:ignore SA1019 libsodium's secretstream is built on bare Poly1305, which only this package offers
	"golang.org/x/crypto/poly1305"
)

// Ente Auth's encrypted export, as its export page writes it: JSON with
// version 1, kdfParams {memLimit, opsLimit, salt}, encryptedData and
// encryptionNonce, all binary values standard base64. The key is libsodium's
// crypto_pwhash with Argon2id 1.3 (one lane, memLimit bytes, opsLimit
// passes, a 16-byte salt, 32 bytes out); the data is one message of
// libsodium's crypto_secretstream_xchacha20poly1305 with the final tag, whose
// 24-byte header is the "nonce". The message is the plain export: one
// otpauth:// URI a line, which is also what Ente's plain export holds.

type enteExport struct {
	Version   int `json:"version"`
	KDFParams struct {
		MemLimit uint64 `json:"memLimit"`
		OpsLimit uint64 `json:"opsLimit"`
		Salt     string `json:"salt"`
	} `json:"kdfParams"`
	EncryptedData   string `json:"encryptedData"`
	EncryptionNonce string `json:"encryptionNonce"`
}

func enteImport(data []byte, password PasswordFunc, budget *kdfBudget) ([]Entry, error) {
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return urisImport(data) // the plain export
	}
	var file enteExport
	if err := jsonFile(FormatEnte, data, &file); err != nil {
		return nil, err
	}
	if file.Version != 1 {
		return nil, importErr(FormatEnte, "export version %d is not supported (Authdeck reads version 1)", file.Version)
	}
	p := file.KDFParams
	salt, err1 := base64.StdEncoding.DecodeString(p.Salt)
	header, err2 := base64.StdEncoding.DecodeString(file.EncryptionNonce)
	sealed, err3 := base64.StdEncoding.DecodeString(file.EncryptedData)
	if errors.Join(err1, err2, err3) != nil || len(salt) != 16 || len(header) != secretstreamHeaderLen {
		return nil, importErr(FormatEnte, "the encryption parameters are damaged")
	}
	if len(sealed) < secretstreamABytes {
		return nil, importErr(FormatEnte, "the encrypted accounts are truncated")
	}
	// libsodium's limits: at least one pass and 8 KiB, at most 4 TiB.
	if p.OpsLimit < 1 || p.OpsLimit > 1<<32-1 || p.MemLimit < 8<<10 || p.MemLimit > 1<<42 {
		return nil, importErr(FormatEnte, "the key derivation's parameters (memLimit %d, opsLimit %d) are not valid", p.MemLimit, p.OpsLimit)
	}
	ops, memKiB := uint32(p.OpsLimit), uint32(p.MemLimit>>10)
	if err := budget.reserve(FormatEnte, argon2Cost(ops, memKiB)); err != nil {
		return nil, err
	}
	pass, err := askPassword(password)
	if err != nil {
		return nil, err
	}
	key, err := budget.argon2id(FormatEnte, []byte(pass), salt, ops, memKiB, 1, 32)
	if err != nil {
		return nil, err
	}
	plain, tag, err := secretstreamOpen(key, header, sealed)
	if err != nil {
		return nil, fmt.Errorf("%w for this Ente Auth export (or the file is damaged)", ErrWrongPassword)
	}
	if tag != secretstreamTagFinal {
		return nil, importErr(FormatEnte, "the encrypted accounts are truncated")
	}
	entries, err := urisImport(plain)
	if err != nil {
		return nil, importErr(FormatEnte, "%v", errors.Unwrap(err))
	}
	return entries, nil
}

// libsodium's crypto_secretstream_xchacha20poly1305.
const (
	secretstreamHeaderLen = 24
	secretstreamABytes    = 1 + poly1305.TagSize
	secretstreamTagFinal  = 3
)

// secretstreamOpen decrypts the first message of a secretstream under key
// with its header, and returns it and its tag. The stream's key is
// HChaCha20(key, header[:16]); the ChaCha20 (IETF) nonce is a 32-bit
// little-endian counter starting at 1, then header[16:]. Block 0 of the key
// stream is the Poly1305 key, block 1 encrypts the tag byte, and the message
// starts at block 2. The MAC covers the (empty) associated data, the whole
// tag block, the ciphertext followed by mlen mod 16 zero bytes (libsodium's
// padding, which is not to a multiple of 16), and both lengths.
func secretstreamOpen(key, header, in []byte) (plain []byte, tag byte, err error) {
	if len(header) != secretstreamHeaderLen || len(in) < secretstreamABytes {
		return nil, 0, errors.New("secretstream: too short")
	}
	k, err := chacha20.HChaCha20(key, header[:16])
	if err != nil {
		return nil, 0, err
	}
	nonce := make([]byte, 12)
	binary.LittleEndian.PutUint32(nonce, 1)
	copy(nonce[4:], header[16:])
	stream := func(counter uint32, dst, src []byte) error {
		c, err := chacha20.NewUnauthenticatedCipher(k, nonce)
		if err != nil {
			return err
		}
		c.SetCounter(counter)
		c.XORKeyStream(dst, src)
		return nil
	}
	var polyKey [32]byte
	var block [64]byte
	if err := stream(0, block[:], block[:]); err != nil {
		return nil, 0, err
	}
	copy(polyKey[:], block[:32])
	mlen := len(in) - secretstreamABytes
	clear(block[:])
	block[0] = in[0]
	if err := stream(1, block[:], block[:]); err != nil {
		return nil, 0, err
	}
	tag = block[0]
	block[0] = in[0]
	mac := poly1305.New(&polyKey)
	mac.Write(block[:])
	ct := in[1 : 1+mlen]
	mac.Write(ct)
	mac.Write(make([]byte, mlen%16)) // libsodium pads with (16 - 64 + mlen) mod 16 bytes

	var lens [16]byte
	binary.LittleEndian.PutUint64(lens[8:], uint64(64+mlen))
	mac.Write(lens[:])
	if subtle.ConstantTimeCompare(mac.Sum(nil), in[1+mlen:]) != 1 {
		return nil, 0, errors.New("secretstream: message forged or damaged")
	}
	plain = make([]byte, mlen)
	if err := stream(2, plain, ct); err != nil {
		return nil, 0, err
	}
	return plain, tag, nil
}
