// Package transfer brings accounts in from other authenticator apps and
// writes them out for them: every version of the exports of Aegis, 2FAS,
// andOTP, Bitwarden, Ente Auth, FreeOTP and FreeOTP+, Stratum, Steam,
// LastPass, WinAuth, Authenticator Plus, TOTP Authenticator and Proton
// Authenticator, the Google and Microsoft Authenticator databases, lists of
// otpauth:// URIs (also as decoders print them), and the Google
// Authenticator transfers read from QR codes.
//
// [ImportAccounts] reads a file into entries, accounts or the reason one
// cannot be used, which [PlanEntries] turns into the vault's merge plan;
// [ExportAccounts] writes the portable accounts for another app. The
// package never prints; the command line and the window say what its
// errors mean.
package transfer
