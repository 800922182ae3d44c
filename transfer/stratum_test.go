package transfer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"authdeck/vault"
)

// genStratum writes a Stratum backup as Stratum.Core's Backup serializes it,
// plain, or encrypted as StrongBackupEncryption (legacy false) or
// LegacyBackupEncryption (legacy true) does.
func genStratum(t testing.TB, accounts []vault.Account, password string, legacy bool) []byte {
	types := map[vault.Type]int{vault.HOTP: 1, vault.TOTP: 2, vault.Steam: 4}
	algs := map[vault.Algorithm]int{vault.SHA1: 0, vault.SHA256: 1, vault.SHA512: 2}
	var auths, cats, binds []map[string]any
	catID := map[string]string{}
	for i, a := range accounts {
		var user any = a.Name
		if a.Name == "" {
			user = nil
		}
		auths = append(auths, map[string]any{"Type": types[a.Type], "Icon": nil, "Issuer": a.Issuer, "Username": user,
			"Secret": a.SecretBase32(), "Pin": nil, "Algorithm": algs[a.Algorithm], "Digits": a.Digits, "Period": stratumPeriod(a.Period),
			"Counter": a.Counter, "CopyCount": 0, "Ranking": i})
		if a.Group != "" {
			if catID[a.Group] == "" {
				catID[a.Group] = string(rune('a'+len(catID))) + "1b2c3d"
				cats = append(cats, map[string]any{"Id": catID[a.Group], "Name": a.Group, "Ranking": len(cats)})
			}
			binds = append(binds, map[string]any{"CategoryId": catID[a.Group], "AuthenticatorSecret": a.SecretBase32(), "Ranking": i})
		}
	}
	plain := mustJSON(t, map[string]any{"Authenticators": auths, "Categories": cats, "AuthenticatorCategories": binds, "CustomIcons": []any{}})
	if password == "" {
		return plain
	}
	if legacy {
		salt, iv := random(stratumLegacySalt), random(aes.BlockSize)
		key, err := pbkdf2.Key(sha1.New, password, salt, stratumLegacyIter, 32)
		if err != nil {
			t.Fatal(err)
		}
		block, _ := aes.NewCipher(key)
		padded := pkcs7(plain)
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(padded, padded)
		return append(append(append([]byte(stratumHeaderLegacy), salt...), iv...), padded...)
	}
	salt, iv := random(stratumSaltLen), random(stratumIVLen)
	key := argon2.IDKey([]byte(password), salt, 3, 65536, 4, 32)
	return append(append(append([]byte(stratumHeader), salt...), iv...), gcmSeal(t, key, iv, plain)...)
}

// pkcs7 pads b to whole AES blocks.
func pkcs7(b []byte) []byte {
	n := aes.BlockSize - len(b)%aes.BlockSize
	out := append([]byte(nil), b...)
	for range n {
		out = append(out, byte(n))
	}
	return out
}

func stratumCases(t testing.TB) []genCase {
	all := genAccounts(t)
	return []genCase{
		{"stratum.json", FormatStratum, "", genStratum(t, all, "", false), all},
		{"stratum_encrypted.bin", FormatStratum, fuzzPassword, genStratum(t, all, fuzzPassword, false), all},
		{"stratum_legacy.bin", FormatStratum, fuzzPassword, genStratum(t, all, fuzzPassword, true), all},
		{"stratum.html", FormatURIs, "", genStratumHTML(all), withoutGroups(all)},
	}
}

// genStratumHTML writes Stratum's HTML export as its backup_template.html
// and HtmlBackup do: a table row an account with its issuer, name, URI in a
// <code> element (not escaped) and QR code image.
func genStratumHTML(accounts []vault.Account) []byte {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html>\n    <head>\n        <meta charset=\"utf-8\">\n        <title>Stratum Backup</title>\n" +
		"        <style>\n            body {\n                font-family: sans-serif;\n            }\n        </style>\n    </head>\n    <body>\n" +
		"        <table>\n            <tr>\n                <th>Issuer</th>\n                <th>Username</th>\n                <th>URI</th>\n                <th>QR Code</th>\n            </tr>\n")
	for _, a := range accounts {
		fmt.Fprintf(&b, "<tr>\n    <td>%s</td>\n    <td>%s</td>\n    <td><code>%s</code></td>\n    <td><img src=\"data:image/png;base64,iVBORw0KGgo=\"></td>\n</tr>\n",
			a.Issuer, a.Name, a.URI())
	}
	b.WriteString("        </table>\n    </body>\n</html>\n")
	return []byte(b.String())
}

// TestStratumUnsupportedTypes checks that mOTP and Yandex authenticators are
// reported with their type and do not stop the others.
func TestStratumUnsupportedTypes(t *testing.T) {
	data := []byte(`{"Authenticators":[{"Type":3,"Issuer":"M","Username":null,"Secret":"abcd1234","Pin":"1234","Algorithm":0,"Digits":6,"Period":10,"Counter":0},
		{"Type":5,"Issuer":"Yandex","Username":"y","Secret":"JBSWY3DPEHPK3PXP","Pin":"1234","Algorithm":0,"Digits":8,"Period":30,"Counter":0},
		{"Type":2,"Issuer":"Ok","Username":"o","Secret":"JBSWY3DPEHPK3PXP","Algorithm":0,"Digits":6,"Period":30,"Counter":0}]}`)
	im, err := ImportAccounts(data, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Entries) != 3 || im.Entries[0].Err == nil || im.Entries[1].Err == nil || im.Entries[2].Err != nil {
		t.Fatalf("entries %+v", im.Entries)
	}
	if got := im.Entries[0].Err.Error(); got != `type "mOTP" is not supported: Authdeck supports TOTP, HOTP and Steam` {
		t.Errorf("mOTP: %s", got)
	}
}

func FuzzImportStratum(f *testing.F) { fuzzImport(f, FormatStratum) }

// stratumPeriod is the period Stratum keeps: 30 for HOTP too.
func stratumPeriod(p int) int {
	if p == 0 {
		return 30
	}
	return p
}
