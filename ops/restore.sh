#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into an EMPTY database and an empty media folder.
# Usage: ops/restore.sh BACKUP_DIR TARGET_DATABASE_URL TARGET_MEDIA_ROOT
set -euo pipefail
src=${1:?usage: ops/restore.sh BACKUP_DIR TARGET_DATABASE_URL TARGET_MEDIA_ROOT}
db=${2:?target database URL}
media=${3:?target media folder}
( cd "$src" && sha256sum --check --quiet SHA256SUMS )
pg_restore --no-owner --exit-on-error --dbname="$db" "$src/db.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$src/media.tar.gz"
echo "restored into $db and $media"
