#!/bin/sh
# The application role (README: database roles): it logs in, owns nothing and is not a superuser;
# the migrate service grants it its rights after each migration (jikimi grant_app_role).
set -eu
password=$(cat "$APP_PASSWORD_FILE")
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$password" <<'SQL'
CREATE ROLE jikimi_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SQL
