"""Where the files of compiled versions live and how they are written: under
MEDIA_ROOT/reports/<year>/<kind>/, each run under names of its own (v03-2.pdf: version 3, second run),
written to a temporary file in the same directory and renamed, so that a final name is either absent
or complete."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from .models import ReportVersion


def reports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "reports"


def version_dir(version: ReportVersion) -> Path:
    """reports/<province code>/<year>/<kind>: each province's files apart (their numbers and names repeat)."""
    program = version.report.program
    return reports_root() / program.province.code / str(program.year) / version.report.kind


def run_stem(version: ReportVersion) -> str:
    """The names of this run's files, without their extension: v03-2."""
    return f"v{version.number:02d}-{version.attempts}"


def issued_stem(version: ReportVersion, *, number: int, year: int) -> str:
    """The names of a version's issued files, without their extension: v03-so-05-2018 (version 3, issued as
    number 05 of 2018). Written once; the draft's files stay beside them."""
    return f"v{version.number:02d}-so-{number:02d}-{year}"


def leftovers(version: ReportVersion) -> list[Path]:
    """The files any run of this version wrote (final or temporary)."""
    directory = version_dir(version)
    if not directory.is_dir():
        return []
    stem = f"v{version.number:02d}-"
    return [p for p in directory.iterdir() if p.name.startswith((stem, "." + stem))]


def remove(paths: Iterable) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            Path(p).unlink()


def write_atomic(directory: Path, name: str, data: bytes) -> tuple[Path, str, int]:
    """Write `data` to directory/name through a temporary file in the same directory and a rename,
    so that the final name is either absent or complete. Returns (path, sha256, size)."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        final = directory / name
        os.replace(tmp, final)
    except BaseException:
        remove([tmp])
        raise
    return final, hashlib.sha256(data).hexdigest(), len(data)
