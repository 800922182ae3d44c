#!/bin/sh
# Writes the Google and Microsoft Authenticator databases the tests read,
# with the apps' own table schemas (as they are on the phone) and made-up
# accounts. Needs the sqlite3 command. Run it from this folder.
set -eu
rm -f google_v1.sqlite google_v5.sqlite microsoft.sqlite google_big.sqlite

# Google Authenticator before 2.0: no issuer column.
sqlite3 google_v1.sqlite <<'SQL'
CREATE TABLE android_metadata (locale TEXT);
INSERT INTO android_metadata VALUES ('en_US');
CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0);
INSERT INTO accounts (email, secret, counter, type) VALUES ('ACME Co:john@example.com', 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq', 0, 0);
INSERT INTO accounts (email, secret, counter, type) VALUES ('bob', 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U', 42, 1);
SQL

# Google Authenticator 5: issuer and original_name, and isencrypted for
# secrets kept under a key of the phone's keystore.
sqlite3 google_v5.sqlite <<'SQL'
CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL, isencrypted INTEGER DEFAULT 0);
INSERT INTO accounts (email, secret, counter, type, issuer, original_name) VALUES ('ACME Co:john@example.com', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 0, 0, 'ACME Co', 'ACME Co:john@example.com');
INSERT INTO accounts (email, secret, counter, type, issuer, original_name) VALUES ('bob', 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U', 42, 1, 'Forge', 'bob');
INSERT INTO accounts (email, secret, counter, type, issuer, original_name, isencrypted) VALUES ('Vault:carol', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYX', 0, 0, 'Vault', 'Vault:carol', 1);
SQL

# Microsoft Authenticator (databases/PhoneFactor, Room schema).
sqlite3 microsoft.sqlite <<'SQL'
CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE `accounts` (`_id` INTEGER PRIMARY KEY AUTOINCREMENT, `group_key` TEXT NOT NULL, `name` TEXT NOT NULL, `username` TEXT NOT NULL, `paws_url` TEXT NOT NULL, `oath_secret_key` TEXT NOT NULL, `oath_enabled` INTEGER NOT NULL, `cid` TEXT NOT NULL, `cached_pin` TEXT NOT NULL, `ngc_ski` TEXT NOT NULL, `aad_user_id` TEXT NOT NULL, `aad_tenant_id` TEXT NOT NULL, `account_type` INTEGER NOT NULL, `account_capability` INTEGER NOT NULL, `ux_position` INTEGER NOT NULL, `is_totp_code_shown` INTEGER NOT NULL, `encrypted_oath_secret_key` TEXT NOT NULL, `mfa_pin_encryption_key_alias` TEXT NOT NULL, `identity_provider` TEXT NOT NULL, `aad_ngc_totp_enabled` INTEGER NOT NULL, `aad_authority` TEXT NOT NULL, `restore_capability` INTEGER NOT NULL, `update_flags` INTEGER NOT NULL, `has_password` INTEGER NOT NULL, `aad_security_defaults_policy_enabled` INTEGER NOT NULL);
INSERT INTO accounts VALUES (1,'0','ACME Co','john@example.com','','GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',1,'','','','','',0,1,1,1,'','','ACME Co',0,'',0,0,1,0);
INSERT INTO accounts VALUES (2,'0','Microsoft','me@outlook.com','','MDk4NzY1NDMyMTA5ODc2NTQzMjE=',1,'0a1b2c3d','','','','',1,1,2,1,'','','Microsoft',0,'',0,0,1,0);
INSERT INTO accounts VALUES (3,'0','Contoso','me@contoso.com','https://login.microsoftonline.com','JBSWY3DPEHPK3PXP',1,'','','','0000-aad','1111-tenant',2,1,3,1,'','','AzureAD',0,'',0,0,1,0);
INSERT INTO accounts VALUES (4,'0','Fabrikam','me@fabrikam.com','https://login.microsoftonline.com','',0,'','','ski','2222-aad','3333-tenant',2,4,4,0,'','','AzureAD',0,'',0,0,0,0);
INSERT INTO accounts VALUES (5,'0','Forge','bob','','',1,'','','','','',0,1,5,1,'AAAAbm90IGEgcmVhbCBzZWNyZXQ=','key_alias_5','Forge',0,'',0,0,1,0);
SQL

# A database of 250 accounts on 1 KiB pages with long labels: interior
# pages and overflow pages.
{
  echo "PRAGMA page_size=1024;"
  echo "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL);"
  echo "BEGIN;"
  i=1
  while [ $i -le 250 ]; do
    echo "INSERT INTO accounts (email, secret, counter, type, issuer) VALUES ('user$i@example.com', 'JBSWY3DPEHPK3PXP', $i, 1, 'Issuer $i ' || substr(replace(hex(zeroblob(1200)), '0', 'x'), 1, $i * 4));"
    i=$((i + 1))
  done
  echo "COMMIT;"
} | sqlite3 google_big.sqlite
