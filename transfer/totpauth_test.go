package transfer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"authdeck/vault"
)

// genTOTPAuth writes a TOTP Authenticator backup: the list of accounts as
// JSON text, used as the one key of a JSON object whose value is the time of
// the backup, encrypted with AES-256-CBC (PKCS#7, IV of zeros) under the
// SHA-256 of the password, in base64. base is how the keys are written.
func genTOTPAuth(t testing.TB, accounts []vault.Account, password string, base int) []byte {
	var list []map[string]any
	for _, a := range accounts {
		key := hex.EncodeToString(a.Secret)
		switch base {
		case 32:
			key = a.SecretBase32()
		case 64:
			key = base64.StdEncoding.EncodeToString(a.Secret)
		}
		issuer := a.Issuer
		if issuer == "" {
			issuer = "Unknown"
		}
		list = append(list, map[string]any{"accountHeaderLabel": "", "allowNotifications": false, "base": base,
			"digits": fmt.Sprint(a.Digits), "fileName": "", "iconLabel": "", "iconPath": "", "isFavorite": false,
			"isSelected": false, "isWidgetActive": false, "issuer": issuer, "key": key, "name": a.Name,
			"period": fmt.Sprint(a.Period), "setIconFromDrawable": true, "source": 0, "timeRemaining": 0, "totpCode": "", "widgetId": 0})
	}
	inner, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	outer, err := json.Marshal(map[string]string{string(inner): "1608293023"})
	if err != nil {
		t.Fatal(err)
	}
	key := sha256.Sum256([]byte(password))
	block, _ := aes.NewCipher(key[:])
	padded := pkcs7(outer)
	cipher.NewCBCEncrypter(block, make([]byte, aes.BlockSize)).CryptBlocks(padded, padded)
	return []byte(base64.StdEncoding.EncodeToString(padded))
}

func totpauthCases(t testing.TB) []genCase {
	totp := withoutGroups(onlyTypes(genAccounts(t), vault.TOTP))
	for i := range totp {
		totp[i].Algorithm = vault.SHA1
	}
	return []genCase{
		{"totp_authenticator_hex.bin", FormatTOTPAuth, fuzzPassword, genTOTPAuth(t, totp, fuzzPassword, 16), totp},
		{"totp_authenticator_base32.bin", FormatTOTPAuth, fuzzPassword, genTOTPAuth(t, totp, fuzzPassword, 32), totp},
		{"totp_authenticator_base64.bin", FormatTOTPAuth, fuzzPassword, genTOTPAuth(t, totp, fuzzPassword, 64), totp},
	}
}

// TestTOTPAuthDefaultPassword reads a backup made without a password of its
// own without asking for one.
func TestTOTPAuthDefaultPassword(t *testing.T) {
	totp := withoutGroups(onlyTypes(genAccounts(t), vault.TOTP))[:1]
	totp[0].Algorithm = vault.SHA1
	im, err := ImportAccounts(genTOTPAuth(t, totp, totpauthDefaultPassword, 16), FormatAuto, nil)
	if err != nil || len(im.Accounts()) != 1 || im.Accounts()[0].SecretBase32() != totp[0].SecretBase32() {
		t.Fatalf("%v, %+v", err, im)
	}
}

func FuzzImportTOTPAuth(f *testing.F) { fuzzImport(f, FormatTOTPAuth) }
