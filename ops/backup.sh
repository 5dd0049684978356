#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the media folder
# (uploaded workbooks, compiled reports). Usage: ops/backup.sh DEST_DIR
# Reads DATABASE_URL and DJANGO_MEDIA_ROOT from the environment (or .env).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a
dest=${1:?usage: ops/backup.sh DEST_DIR}
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${DJANGO_MEDIA_ROOT:?DJANGO_MEDIA_ROOT is not set}"
mkdir -p "$dest"
pg_dump --format=custom --no-owner --file="$dest/db.dump" "$DATABASE_URL"
tar -C "$DJANGO_MEDIA_ROOT" -czf "$dest/media.tar.gz" .
( cd "$dest" && sha256sum db.dump media.tar.gz > SHA256SUMS )
echo "backup written to $dest"
