#!/bin/sh
# Random secrets for deploy/compose.yaml, written once into deploy/secrets/ (mode 0600, never
# committed). An existing file is kept: re-running never changes a key that footage depends on.
# Keep a copy of jikimi_master_key where the institution keeps its keys: without it, the footage in
# the store cannot be read by anyone (crypto-shredding is only for keys destroyed on purpose).
set -eu
cd "$(dirname "$0")"
umask 077
mkdir -p secrets
write() { [ -s "secrets/$1" ] || printf '%s' "$2" > "secrets/$1"; }
random() { openssl rand -base64 "$1" | tr -d '\n/+='; }
write db_owner_password "$(random 24)"
write db_app_password "$(random 24)"
write database_url_owner "postgres://jikimi_owner:$(cat secrets/db_owner_password)@db:5432/jikimi"
write database_url_app "postgres://jikimi_app:$(cat secrets/db_app_password)@db:5432/jikimi"
write jikimi_secret_key "$(random 48)"
write jikimi_master_key "$(openssl rand -base64 32)"
[ -s secrets/jikimi_audit_signing_key ] || openssl genpkey -algorithm ed25519 -out secrets/jikimi_audit_signing_key
write s3_access_key "jikimi"
write s3_secret_key "$(random 30)"
write s3_credentials "[default]
aws_access_key_id = $(cat secrets/s3_access_key)
aws_secret_access_key = $(cat secrets/s3_secret_key)
"
echo "deploy/secrets/ 준비됨: $(ls secrets | tr '\n' ' ')"
