package transfer

import (
	"errors"
	"testing"
)

func authplusCases(t testing.TB) []genCase {
	all := withoutGroups(genAccounts(t))
	return []genCase{{"authenticator_plus.zip", FormatAuthPlus, fuzzPassword, genZip(t, authplusFile, urisExport(all), fuzzPassword, true), all}}
}

// TestAuthPlusDatabase checks that Authenticator Plus's SQLCipher database
// is refused with what to do instead.
func TestAuthPlusDatabase(t *testing.T) {
	_, err := ImportAccounts(random(4096), FormatAuthPlus, nil)
	var ierr *ImportError
	if !errors.As(err, &ierr) || ierr.Format != FormatAuthPlus {
		t.Errorf("SQLCipher database: %v", err)
	}
}

func FuzzImportAuthPlus(f *testing.F) { fuzzImport(f, FormatAuthPlus) }
