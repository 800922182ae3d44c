package transfer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"testing"
	"time"
)

// genZip writes a zip file holding name with content, deflated and, if
// password is not empty, encrypted with the traditional PKWARE cipher as
// SharpZipLib and zip4j write it. With descriptor, sizes and CRC follow the
// data (flag bit 3, as zip4j writes) and the check byte is the high byte of
// the DOS time; otherwise it is the CRC's high byte.
func genZip(t testing.TB, name string, content []byte, password string, descriptor bool) []byte {
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	fw.Write(content)
	fw.Close()
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
		CompressedSize64: uint64(deflated.Len()), UncompressedSize64: uint64(len(content))}
	h.Modified = time.Date(2026, 12, 3, 18, 45, 12, 0, time.UTC)
	dosTime := uint16(18<<11 | 45<<5 | 12/2) // h.Modified in MS-DOS form, which CreateRaw does not fill in
	//lint:ignore SA1019 the MS-DOS time is what the check byte is made of, and CreateRaw does not fill it in
	h.ModifiedTime, h.ModifiedDate = dosTime, uint16((2026-1980)<<9|12<<5|3)
	data := deflated.Bytes()
	if password != "" {
		h.Flags |= 1
		if descriptor {
			h.Flags |= 8
		}
		hdr := random(12)
		hdr[11] = byte(h.CRC32 >> 24)
		if descriptor {
			hdr[11] = byte(dosTime >> 8)
		}
		data = zipEncrypt([]byte(password), append(hdr, data...))
		h.CompressedSize64 = uint64(len(data))
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// zipEncrypt is the traditional PKWARE encryption (APPNOTE 6.1.5).
func zipEncrypt(pass, plain []byte) []byte {
	k := [3]uint32{0x12345678, 0x23456789, 0x34567890}
	update := func(b byte) {
		k[0] = crc32.IEEETable[byte(k[0])^b] ^ k[0]>>8
		k[1] = (k[1]+k[0]&0xff)*134775813 + 1
		k[2] = crc32.IEEETable[byte(k[2])^byte(k[1]>>24)] ^ k[2]>>8
	}
	for _, b := range pass {
		update(b)
	}
	out := make([]byte, len(plain))
	for i, p := range plain {
		temp := k[2] | 2
		out[i] = p ^ byte((temp*(temp^1))>>8)
		update(p)
	}
	return out
}
