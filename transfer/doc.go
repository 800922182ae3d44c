// Package transfer brings accounts in from other authenticator apps and
// writes them out for them: the exports of Aegis, 2FAS, andOTP, Bitwarden,
// FreeOTP+, Proton Authenticator and lists of otpauth:// URIs, and the
// Google Authenticator transfers read from QR codes.
//
// [ImportAccounts] reads a file into entries, accounts or the reason one
// cannot be used, which [PlanEntries] turns into the vault's merge plan;
// [ExportAccounts] writes the portable accounts for another app. The
// package never prints; the command line and the window say what its
// errors mean.
package transfer
