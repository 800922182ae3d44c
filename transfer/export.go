package transfer

import (
	"fmt"

	"authdeck/vault"
)

// ExportFormats are the formats [ExportAccounts] writes.
var ExportFormats = []Format{FormatURIs, FormatAegis}

// Exportable reports whether a may leave this device in an export: it is
// portable and has its secret.
func Exportable(a *vault.Account) bool {
	return a.Binding != vault.DeviceBound && !a.NeedsVerification && len(a.Secret) > 0
}

// ExportAccounts writes the portable accounts among accounts in format f,
// for another authenticator app to import: [FormatURIs], one otpauth:// URI a
// line, or [FormatAegis], a plain Aegis vault. It returns the file and the
// accounts left out: those bound to this device, which never leave it, and
// those that still need verification and have no secret. The file holds
// secrets in plain text.
func ExportAccounts(accounts []vault.Account, f Format) (data []byte, leftOut []vault.Account, err error) {
	var out []vault.Account
	for _, a := range accounts {
		if Exportable(&a) {
			out = append(out, a)
		} else {
			leftOut = append(leftOut, a)
		}
	}
	switch f {
	case FormatURIs:
		data = urisExport(out)
	case FormatAegis:
		if data, err = aegisExport(out); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, fmt.Errorf("cannot export to %q: use uris or aegis", f)
	}
	return data, leftOut, nil
}
