// Package scan reads accounts from QR codes: it finds every code in an image
// file, on the screen or in webcam frames, and turns their texts (otpauth://
// URIs and Google Authenticator transfers) into accounts.
//
// Finding codes gives texts: [DecodeFile] for an image file, [Decode] for an
// image in memory, [Screen] for every display (or, through the desktop's
// screenshot portal, what the user picks), [CaptureScreen] and [DecodeArea]
// for an area of the screen that the caller lets the user drag out,
// [ClipboardImage] for an image on the clipboard, and [Watch] for a stream
// of frames such as the webcam that [OpenCamera] opens. [Accounts] turns one
// text into accounts, which the caller passes to the vault's merge plan; a
// Google Authenticator transfer spread over several codes is put together
// with a [Batch]. [EncodeMigration] goes the other way, writing accounts as
// transfer codes for a phone to scan.
//
// For example, to read the accounts in a screenshot:
//
//	texts, err := scan.DecodeFile("screenshot.png")
//	if err != nil {
//		return err // scan.ErrNoQR, scan.ErrNotImage, ...
//	}
//	for _, text := range texts {
//		accounts, err := scan.Accounts(text)
//		...
//	}
//
// The package never prints or logs; every error message is one line a person
// understands, and the errors callers branch on are the ErrX values.
package scan

import "errors"

// Errors of every source of images.
var (
	ErrNoQR             = errors.New("no QR code found in the image")
	ErrNoClipboardImage = errors.New("the clipboard holds no image")
)
