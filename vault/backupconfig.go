package vault

// BackupConfig is how a vault's backups are made: the backup key they are
// encrypted to, and the folder that automatic backups go to. It lives in the
// vault, so that a backup can be written without asking for the backup
// passphrase; it is never written into a backup. Package backup fills it in
// and reads it.
type BackupConfig struct {
	// Recipient is the public half of the backup identity (an age X25519
	// recipient, "age1..."); every backup is encrypted to it. Empty means no
	// backup passphrase is set yet.
	Recipient string `json:"recipient,omitempty"`
	// WrappedIdentity is the backup identity encrypted with the backup
	// passphrase (an ASCII-armored age file, scrypt). Every backup carries a
	// copy, so that the passphrase alone restores it.
	WrappedIdentity string `json:"wrapped_identity,omitempty"`
	// AutoDir is the folder of automatic backups; empty means they are off.
	AutoDir string `json:"auto_dir,omitempty"`
	// AutoKeep is how many of this device's automatic backups AutoDir keeps;
	// zero means the default.
	AutoKeep int `json:"auto_keep,omitempty"`
}
