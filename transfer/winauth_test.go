package transfer

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"authdeck/vault"
)

// genWinAuth writes the text WinAuth's ExportAuthenticators writes, one
// WinAuthAuthenticator.ToUrl a line: "issuer:label" in the path, secret,
// digits, then issuer, the algorithm where it is not SHA1, a Steam
// authenticator's deviceid and data, a HOTP counter, and the period where
// it is not 30.
func genWinAuth(accounts []vault.Account) []byte {
	var b strings.Builder
	for _, a := range accounts {
		kind, extra := "totp", "&issuer="+url.QueryEscape(a.Issuer)
		if a.Algorithm != vault.SHA1 {
			extra += "&algorithm=" + string(a.Algorithm)
		}
		switch a.Type {
		case vault.Steam:
			extra += "&deviceid=" + url.QueryEscape("android:0a1b2c3d") + "&data=" + url.QueryEscape(`{"steamid":"7656"}`)
		case vault.HOTP:
			kind, extra = "hotp", extra+fmt.Sprintf("&counter=%d", a.Counter)
		}
		if a.Period != 30 && a.Type != vault.HOTP {
			extra += fmt.Sprintf("&period=%d", a.Period)
		}
		fmt.Fprintf(&b, "otpauth://%s/%s:%s?secret=%s&digits=%d%s\r\n", kind, url.PathEscape(a.Issuer), url.PathEscape(a.Name), a.SecretBase32(), a.Digits, extra)
	}
	return []byte(b.String())
}

func winauthCases(t testing.TB) []genCase {
	all := withoutGroups(genAccounts(t))
	text := genWinAuth(all)
	return []genCase{
		{"winauth.txt", FormatWinAuth, "", text, all},
		{"winauth.zip", FormatWinAuth, "", genZip(t, "winauth-2026-12-03.txt", text, "", false), all},
		{"winauth_encrypted.zip", FormatWinAuth, fuzzPassword, genZip(t, "winauth-2026-12-03.txt", text, fuzzPassword, false), all},
	}
}

// TestWinAuthSteamAsText checks that WinAuth's Steam line read as a plain
// URI list (--from winauth) is a Steam account too.
func TestWinAuthSteamAsText(t *testing.T) {
	steam := onlyTypes(genAccounts(t), vault.Steam)
	im, err := ImportAccounts(genWinAuth(steam), FormatWinAuth, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a := im.Accounts(); len(a) != 1 || a[0].Type != vault.Steam || a[0].Digits != vault.SteamDigits {
		t.Errorf("got %+v", a)
	}
}

func FuzzImportWinAuth(f *testing.F) { fuzzImport(f, FormatWinAuth) }
