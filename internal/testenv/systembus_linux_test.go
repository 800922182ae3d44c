package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// testAction is a polkit action file with one action.
const testAction = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE policyconfig PUBLIC "-//freedesktop//DTD PolicyKit Policy Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/PolicyKit/1/policyconfig.dtd">
<policyconfig>
  <action id="dev.authdeck.test">
    <description>Test</description>
    <message>Test</message>
    <defaults><allow_any>auth_self</allow_any><allow_inactive>auth_self</allow_inactive><allow_active>auth_self</allow_active></defaults>
  </action>
</policyconfig>
`

// TestPolkitKnowsOnlyTheTestsActions: the rig's polkitd reads the test's
// action files and not the computer's.
func TestPolkitKnowsOnlyTheTestsActions(t *testing.T) {
	f := filepath.Join(t.TempDir(), "dev.authdeck.test.policy")
	if err := os.WriteFile(f, []byte(testAction), 0o644); err != nil {
		t.Fatal(err)
	}
	bus := SystemBus(t)
	StartPolkit(t, bus, f)
	var actions []struct {
		ID, Description, Message, Vendor, VendorURL, Icon string
		Any, Inactive, Active                             uint32
		Annotations                                       map[string]string
	}
	if err := bus.Object(polkitName, authorityPath).Call(authority+".EnumerateActions", 0, "").Store(&actions); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range actions {
		ids = append(ids, a.ID)
	}
	if len(ids) != 1 || ids[0] != "dev.authdeck.test" {
		t.Errorf("polkitd knows %v, want the test's action alone", ids)
	}
}
