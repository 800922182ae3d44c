package transfer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"path"
	"strings"
)

// Password-protected zip files, as WinAuth (SharpZipLib) and Authenticator
// Plus (zip4j) write them: each file encrypted with the traditional PKWARE
// cipher ("ZipCrypto", APPNOTE 6.1), stored or deflated. The cipher's
// 12-byte header ends in a check byte: the CRC's high byte, or the high byte
// of the modification time when sizes follow in a data descriptor (writers
// differ in which they pick, so either is taken); the CRC-32 of the whole
// file then tells a wrong password from the right one.
// Names of the files are not encrypted. WinZip's AES encryption (method 99)
// is not read.

const zipMagic = "PK\x03\x04"

// zipFormat tells the zip of an Authenticator Plus backup, which holds
// Accounts.txt, from a WinAuth export.
func zipFormat(data []byte) (Format, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", importErr(FormatAuto, "the file looks like a zip file but is damaged or truncated")
	}
	for _, f := range zr.File {
		if path.Base(f.Name) == authplusFile {
			return FormatAuthPlus, nil
		}
	}
	for _, f := range zr.File {
		if strings.EqualFold(path.Ext(f.Name), ".txt") {
			return FormatWinAuth, nil
		}
	}
	return "", ErrUnknownFormat
}

// zipText returns the content of the file in the zip data that pick chooses,
// decrypting it with the password if it is encrypted.
func zipText(f Format, data []byte, password PasswordFunc, pick func(name string) bool) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, importErr(f, "the zip file is damaged or truncated")
	}
	var file *zip.File
	for _, zf := range zr.File {
		if !strings.HasSuffix(zf.Name, "/") && pick(zf.Name) {
			file = zf
			break
		}
	}
	if file == nil {
		return nil, importErr(f, "the zip file holds no list of accounts")
	}
	if file.UncompressedSize64 > MaxImportSize {
		return nil, ErrImportTooLarge
	}
	if file.Flags&1 == 0 {
		rc, err := file.Open()
		if err != nil {
			return nil, importErr(f, "%s in the zip file cannot be read: %v", file.Name, err)
		}
		defer rc.Close()
		return zipReadAll(f, rc, file.CRC32)
	}
	if file.Method == 99 {
		return nil, importErr(f, "the zip file is encrypted with AES, which Authdeck does not read: export it again with the app's standard zip encryption")
	}
	raw, err := file.OpenRaw()
	if err != nil {
		return nil, importErr(f, "%s in the zip file cannot be read: %v", file.Name, err)
	}
	enc, err := io.ReadAll(io.LimitReader(raw, MaxImportSize+1))
	if err != nil || len(enc) < 12 {
		return nil, importErr(f, "the zip file is damaged or truncated")
	}
	pass, err := askPassword(password)
	if err != nil {
		return nil, err
	}
	plain := zipDecrypt([]byte(pass), enc)
	timeCheck := byte(file.ModifiedTime >> 8)
	if plain[11] != byte(file.CRC32>>24) && plain[11] != timeCheck {
		return nil, fmt.Errorf("%w for this zip file", ErrWrongPassword)
	}
	var r io.Reader = bytes.NewReader(plain[12:])
	switch file.Method {
	case zip.Store:
	case zip.Deflate:
		fr := flate.NewReader(r)
		defer fr.Close()
		r = fr
	default:
		return nil, importErr(f, "the zip file is compressed with method %d, which Authdeck does not read", file.Method)
	}
	out, err := zipReadAll(f, r, file.CRC32)
	if errors.Is(err, errZipCRC) {
		return nil, fmt.Errorf("%w for this zip file (or the file is damaged)", ErrWrongPassword)
	}
	return out, err
}

var errZipCRC = errors.New("the file in the zip does not match its checksum")

// zipReadAll reads r whole, up to MaxImportSize, and checks its CRC-32.
func zipReadAll(f Format, r io.Reader, crc uint32) ([]byte, error) {
	out, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	switch {
	case len(out) > MaxImportSize:
		return nil, ErrImportTooLarge
	case err != nil && crc32.ChecksumIEEE(out) != crc:
		return nil, &ImportError{Format: f, Err: errZipCRC}
	case err != nil:
		return nil, importErr(f, "the zip file is damaged: %v", err)
	case crc32.ChecksumIEEE(out) != crc:
		return nil, &ImportError{Format: f, Err: errZipCRC}
	}
	return out, nil
}

// zipDecrypt undoes the traditional PKWARE encryption of enc (its 12-byte
// header included) under pass.
func zipDecrypt(pass, enc []byte) []byte {
	k := [3]uint32{0x12345678, 0x23456789, 0x34567890}
	update := func(b byte) {
		k[0] = crc32.IEEETable[byte(k[0])^b] ^ k[0]>>8
		k[1] = (k[1]+k[0]&0xff)*134775813 + 1
		k[2] = crc32.IEEETable[byte(k[2])^byte(k[1]>>24)] ^ k[2]>>8
	}
	for _, b := range pass {
		update(b)
	}
	out := make([]byte, len(enc))
	for i, c := range enc {
		t := k[2] | 2
		p := c ^ byte((t*(t^1))>>8)
		out[i] = p
		update(p)
	}
	return out
}
