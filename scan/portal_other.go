//go:build !linux

package scan

import "context"

// portalFirst reports false: the screenshot portal is Linux's.
func portalFirst() bool { return false }

// portalCapture fails: the screenshot portal is Linux's.
func portalCapture(context.Context) (string, error) { return "", ErrScreenUnavailable }
