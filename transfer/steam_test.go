package transfer

import (
	"encoding/base64"
	"errors"
	"testing"

	"authdeck/vault"
)

// genSteam writes a Steam Desktop Authenticator maFile of the old kind
// (Session with web cookies and an OAuth token) or the new kind (Session
// with access and refresh tokens, SDA 1.0.13 and later).
func genSteam(t testing.TB, a vault.Account, newKind bool) []byte {
	session := map[string]any{"SessionID": "8f3d", "SteamLogin": "7656%7C%7C", "SteamLoginSecure": "7656%7C%7C", "WebCookie": "abc", "OAuthToken": "0a1b", "SteamID": 76561198000000000}
	if newKind {
		session = map[string]any{"SteamID": 76561198000000000, "AccessToken": "eyJ0", "RefreshToken": "eyJ1", "SessionID": nil}
	}
	return mustJSON(t, map[string]any{
		"shared_secret": base64.StdEncoding.EncodeToString(a.Secret), "serial_number": "1234567890123456789",
		"revocation_code": "R12345", "uri": "otpauth://totp/Steam:" + a.Name + "?secret=" + a.SecretBase32() + "&issuer=Steam",
		"server_time": 1700000000, "account_name": a.Name, "token_gid": "2a3b", "identity_secret": "aWQ=",
		"secret_1": "czE=", "status": 1, "device_id": "android:0000", "fully_enrolled": true, "Session": session,
	})
}

func steamCases(t testing.TB) []genCase {
	steam := onlyTypes(genAccounts(t), vault.Steam)
	app := mustJSON(t, map[string]any{"accounts": map[string]any{"76561198000000000": map[string]any{
		"shared_secret": base64.StdEncoding.EncodeToString(steam[0].Secret), "account_name": steam[0].Name, "steamguard_scheme": "2"}}})
	return []genCase{
		{"steam_old.maFile", FormatSteam, "", genSteam(t, steam[0], false), steam},
		{"steam_new.maFile", FormatSteam, "", genSteam(t, steam[0], true), steam},
		{"steam_app_Steamguard.json", FormatSteam, "", app, steam},
	}
}

// TestSteamEncrypted checks that an SDA-encrypted maFile says how to open it.
func TestSteamEncrypted(t *testing.T) {
	_, err := ImportAccounts([]byte(base64.StdEncoding.EncodeToString(random(64))), FormatSteam, nil)
	var ierr *ImportError
	if !errors.As(err, &ierr) || ierr.Format != FormatSteam {
		t.Errorf("encrypted maFile: %v", err)
	}
}

func FuzzImportSteam(f *testing.F) { fuzzImport(f, FormatSteam) }
