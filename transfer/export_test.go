package transfer

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"authdeck/vault"
)

// exportAccounts are genAccounts with a device-bound account and one that
// needs verification, which no export may hold.
func exportAccounts(t *testing.T) []vault.Account {
	accounts := genAccounts(t)
	bound := accounts[0]
	bound.Issuer, bound.Name, bound.Binding = "Safe Co", "device", vault.DeviceBound
	bound.Secret = []byte("a device-bound secret")
	pending := vault.Account{Issuer: "Pending", Name: "ann", Type: vault.TOTP, Binding: vault.DeviceBound, NeedsVerification: true}
	pending.Normalize()
	return append(accounts, bound, pending)
}

// TestExportRoundTrip exports to each format and imports the file back:
// the same accounts, the same codes, and the device-bound ones left out.
func TestExportRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC)
	accounts := exportAccounts(t)
	portable := genAccounts(t)
	for _, f := range ExportFormats {
		t.Run(string(f), func(t *testing.T) {
			data, leftOut, err := ExportAccounts(accounts, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(leftOut) != 2 || leftOut[0].Issuer != "Safe Co" || leftOut[1].Issuer != "Pending" {
				t.Errorf("left out %v, want the device-bound Safe Co and Pending", leftOut)
			}
			if strings.Contains(string(data), "Safe Co") || strings.Contains(string(data), accounts[len(accounts)-2].SecretBase32()) {
				t.Errorf("the export holds the device-bound account:\n%s", data)
			}
			want := portable
			if f == FormatURIs { // a URI has no group
				want = nil
				for _, a := range portable {
					a.Group = ""
					want = append(want, a)
				}
			}
			checkImport(t, genCase{format: f, data: data, want: want}, data, at)
		})
	}
	if _, _, err := ExportAccounts(accounts, FormatGoogle); err == nil {
		t.Error("export to google: no error")
	}
}

// TestExportAegisSkeleton checks the exported Aegis vault against the
// skeleton of Aegis' docs/vault.md, so that Aegis itself imports it.
func TestExportAegisSkeleton(t *testing.T) {
	data, _, err := ExportAccounts(exportAccounts(t), FormatAegis)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Version *int `json:"version"`
		Header  map[string]json.RawMessage
		DB      struct {
			Version int
			Entries []map[string]json.RawMessage
			Groups  []struct{ UUID, Name string }
		}
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if v.Version == nil || *v.Version != 1 || string(v.Header["slots"]) != "null" || string(v.Header["params"]) != "null" {
		t.Errorf("header: version %v, slots %s, params %s; want 1, null, null", v.Version, v.Header["slots"], v.Header["params"])
	}
	if v.DB.Version != 3 || len(v.DB.Entries) != 7 || len(v.DB.Groups) != 3 {
		t.Fatalf("db: version %d, %d entries, %d groups; want 3, 7, 3", v.DB.Version, len(v.DB.Entries), len(v.DB.Groups))
	}
	uuid4 := regexp.MustCompile(`^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$`)
	for i, e := range v.DB.Entries {
		for _, k := range []string{"type", "uuid", "name", "issuer", "note", "favorite", "icon", "info", "groups"} {
			if _, ok := e[k]; !ok {
				t.Errorf("entry %d has no %q", i, k)
			}
		}
		if !uuid4.Match(e["uuid"]) {
			t.Errorf("entry %d: uuid %s is not a version 4 UUID", i, e["uuid"])
		}
		var info map[string]any
		json.Unmarshal(e["info"], &info)
		_, period := info["period"]
		_, counter := info["counter"]
		if info["secret"] == nil || info["algo"] == nil || info["digits"] == nil || period == counter {
			t.Errorf("entry %d: info %v lacks secret, algo, digits, or exactly one of period and counter", i, info)
		}
	}
	if string(v.DB.Entries[4]["type"]) != `"steam"` || string(v.DB.Entries[3]["type"]) != `"hotp"` {
		t.Errorf("types: %s, %s; want hotp, steam", v.DB.Entries[3]["type"], v.DB.Entries[4]["type"])
	}
}

func TestExportURIs(t *testing.T) {
	data, _, err := ExportAccounts(exportAccounts(t), FormatURIs)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	want := []string{
		"otpauth://totp/ACME%20Co:john@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
		"otpauth://totp/Gitea%3A%20main:ann?secret=JBSWY3DPEHPK3PXP&issuer=Gitea%3A%20main&algorithm=SHA256&digits=7&period=20",
		"otpauth://totp/Bank:b%C3%BCro%2C%20Z%C3%BCrich?secret=KRUGS4ZANFZSAYJAORSXG5A&issuer=Bank&algorithm=SHA512&digits=8&period=60",
		"otpauth://hotp/Forge:bob?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Forge&algorithm=SHA1&digits=6&counter=42",
		"otpauth://steam/Steam:gabe?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Steam&algorithm=SHA1&digits=5&period=30",
		"otpauth://totp/naked@example.com?secret=ORSXG5DJNZTQ&algorithm=SHA1&digits=10&period=30",
		"otpauth://hotp/%C3%87%C3%A0%20et%20l%C3%A0%20%F0%9F%94%90:%E5%90%8D%E5%89%8D?secret=KRSXG5CTMVRXEZLU&issuer=%C3%87%C3%A0%20et%20l%C3%A0%20%F0%9F%94%90&algorithm=SHA256&digits=4&counter=7",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", data, strings.Join(want, "\n"))
	}
}
