package transfer

import (
	"testing"

	"authdeck/vault"
)

// genLastPass writes a LastPass Authenticator export, version 3, as the
// importers of Stratum and Ente read it.
func genLastPass(t testing.TB, accounts []vault.Account) []byte {
	var list []map[string]any
	folders := []map[string]any{{"id": 0, "name": "Favorites", "isOpened": true}}
	ids := map[string]int{}
	for i, a := range accounts {
		folder := 0
		if a.Group != "" {
			if ids[a.Group] == 0 {
				ids[a.Group] = len(folders)
				folders = append(folders, map[string]any{"id": len(folders), "name": a.Group, "isOpened": true})
			}
			folder = ids[a.Group]
		}
		list = append(list, map[string]any{"accountID": "id" + a.Name, "issuerName": a.Issuer, "originalIssuerName": a.Issuer,
			"userName": a.Name, "originalUserName": a.Name, "pushNotification": false, "secret": a.SecretBase32(),
			"timeStep": a.Period, "digits": a.Digits, "creationTimestamp": 1700000000000 + i, "isFavorite": false,
			"algorithm": string(a.Algorithm), "folderData": map[string]any{"folderId": folder, "position": i}})
	}
	return mustJSON(t, map[string]any{"deviceId": "", "deviceSecret": "", "localDeviceId": "x", "deviceName": "Pixel",
		"version": 3, "accounts": list, "folders": folders})
}

func lastpassCases(t testing.TB) []genCase {
	totp := onlyTypes(genAccounts(t), vault.TOTP)
	return []genCase{{"lastpass.json", FormatLastPass, "", genLastPass(t, totp), totp}}
}

func FuzzImportLastPass(f *testing.F) { fuzzImport(f, FormatLastPass) }
