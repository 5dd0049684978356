#!/usr/bin/env python3
"""Do two revisions compile the demo's provincial reports to the same text?

    python docs/compare_documents.py 3b6b0df HEAD
    python docs/compare_documents.py 3b6b0df HEAD --kinds six_month annual --keep

For each revision: a throwaway worktree under /tmp (git worktree add --detach), the shared virtual
environment linked in (/work/main/.venv, or --venv), the demo database made there from nothing
(migrate, load_program, setup_demo; SQLite and media inside the worktree), then each report compiled
with `manage.py compile_report --year 2018 --kind KIND --output DIR` as of PORTAL_CLOCK_TODAY
(2018-05-10, the day the demo is served as of). The PDFs are read back with `pdftotext -layout`
(poppler-utils); the document's number and dates of issue are replaced by placeholders, and the two
texts are diffed. Exit status: 0 when every report reads the same, 1 when one differs, 2 when a step
fails. The worktrees are deleted afterwards unless --keep is given (the script deletes only the
directories it made and their own entries in .git/worktrees).

What is compared is the printed text, so a change of layout that moves no word is not reported; the
Excel annex is not compared (tests/documents/test_annex.py checks it against the PDF).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

KINDS = ("six_month", "annual")
# Environment that would point a worktree at another database, media directory or broker.
CLEARED = ("DATABASE_URL", "DJANGO_MEDIA_ROOT", "DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "PORTAL_CLOCK_TODAY")
# What may differ between two compiles of the same data: the number and the dates of issue.
# The day of issue is printed in the place-and-date line, in the annexes' reference to the report
# ("Báo cáo số 05/BC-SLĐTBXH ngày 10/05/2018") and as the day the counted reports were accepted by
# ("duyệt đến ngày 10/05/2018"); other dates (deadlines, the decision's) are compared as they are.
ISSUE_PATTERNS = [
    (re.compile(r"\b\d{1,3}/BC-SLĐTBXH"), "NN/BC-SLĐTBXH"),
    (re.compile(r"ngày(\s+)\d{1,2}(\s+)tháng(\s+)\d{1,2}(\s+)năm(\s+)\d{4}"), r"ngày\1DD\2tháng\3MM\4năm\5YYYY"),
    (re.compile(r"(BC-SLĐTBXH\s+ngày\s+|duyệt\s+đến\s+ngày\s+)\d{2}/\d{2}/\d{4}"), r"\1DD/MM/YYYY"),
]


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own commands
    if result.returncode != 0:
        sys.stderr.write(f"$ {' '.join(cmd)}  (in {cwd})\n{result.stdout}{result.stderr}")
        raise SystemExit(2)
    return result.stdout


def normalise(text: str) -> str:
    """The text without what differs from one compile to the next: numbers and dates of issue, and
    trailing spaces of pdftotext's layout."""
    for pattern, placeholder in ISSUE_PATTERNS:
        text = pattern.sub(placeholder, text)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def worktree_add(repo: Path, rev: str, into: Path) -> Path:
    path = into / re.sub(r"[^\w.-]", "_", rev)
    run(["git", "worktree", "add", "--detach", str(path), rev], cwd=repo)
    return path


def worktree_delete(repo: Path, path: Path) -> None:
    """Delete a worktree this script made: its directory and its own administrative entry."""
    admin = run(["git", "rev-parse", "--absolute-git-dir"], cwd=path).strip()
    shutil.rmtree(path, ignore_errors=True)
    common = Path(run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=repo).strip())
    if Path(admin).parent == common / "worktrees":  # never anything but .git/worktrees/<this one>
        shutil.rmtree(admin, ignore_errors=True)


def compile_texts(tree: Path, *, venv: Path, kinds: list[str], today: str) -> dict[str, str]:
    """Set up the demo in the worktree and compile each report; returns kind -> PDF text."""
    if not (tree / ".venv").exists():
        (tree / ".venv").symlink_to(venv)
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    python = str(tree / ".venv" / "bin" / "python")
    for command in (["migrate", "--noinput"], ["load_program"], ["setup_demo"]):
        run([python, "manage.py", *command], cwd=tree, env=env)
    texts = {}
    out = tree / "var" / "compare"
    for kind in kinds:
        run([python, "manage.py", "compile_report", "--year", "2018", "--kind", kind, "--output", str(out)],
            cwd=tree, env={**env, "PORTAL_CLOCK_TODAY": today})  # fmt: skip
        [pdf] = sorted(out.glob(f"bao-cao-2018-{kind}-*.pdf"))
        texts[kind] = run(["pdftotext", "-layout", str(pdf), "-"], cwd=tree)
        pdf.rename(pdf.with_name(f"{kind}.pdf"))  # the next kind's glob must not see it
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="a git revision, e.g. 3b6b0df")
    parser.add_argument("after", help="a git revision, e.g. HEAD or a branch")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=["quarterly", "six_month", "annual"])
    parser.add_argument("--today", default="2018-05-10", help="PORTAL_CLOCK_TODAY for the compiles")
    parser.add_argument("--venv", type=Path, default=Path("/work/main/.venv"))
    parser.add_argument("--keep", action="store_true", help="keep the worktrees (their paths are printed)")
    parser.add_argument("--save", type=Path, help="a directory to write the normalised texts to")
    args = parser.parse_args(argv)
    if not shutil.which("pdftotext"):
        sys.stderr.write("pdftotext is missing (apt-get install poppler-utils)\n")
        return 2
    repo = Path(run(["git", "rev-parse", "--show-toplevel"], cwd=Path.cwd()).strip())
    revs = {side: run(["git", "rev-parse", "--short", rev], cwd=repo).strip()
            for side, rev in (("before", args.before), ("after", args.after))}  # fmt: skip
    scratch = Path(tempfile.mkdtemp(prefix="compare-documents-"))
    trees: list[Path] = []
    try:
        texts = {}
        for side, rev in revs.items():
            tree = worktree_add(repo, rev, scratch)
            trees.append(tree)
            print(f"{side}: {rev} in {tree}", flush=True)
            texts[side] = {k: normalise(t) for k, t in compile_texts(tree, venv=args.venv.resolve(), kinds=args.kinds,
                                                                      today=args.today).items()}  # fmt: skip
    finally:
        if not args.keep:
            for tree in trees:
                worktree_delete(repo, tree)
            shutil.rmtree(scratch, ignore_errors=True)
    differing = 0
    for kind in args.kinds:
        before, after = texts["before"][kind], texts["after"][kind]
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            for side in ("before", "after"):
                (args.save / f"{kind}-{side}-{revs[side]}.txt").write_text(texts[side][kind])
        if before == after:
            print(f"{kind}: the same text ({len(after.splitlines())} lines)")
            continue
        differing += 1
        print(f"{kind}: the text differs")
        sys.stdout.writelines(
            difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 f"{kind} at {revs['before']}", f"{kind} at {revs['after']}", n=1)
        )  # fmt: skip
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
