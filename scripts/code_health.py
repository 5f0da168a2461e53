"""Issue 18's code-health figures for product code (assistant/, webhooks/, dialogues/, nlu/).

Prints three counts, migrations aside:
- functions longer than 60 lines (target: at most 6);
- `== "es"` comparisons (target: at most 5);
- non-boilerplate duplicate pairs, as the `duplicates` tool reports them (target: at most 35).

Usage: python scripts/code_health.py [--list]
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

PRODUCT = ("assistant", "webhooks", "dialogues", "nlu")
LONG = 60
ROOT = Path(__file__).resolve().parent.parent


def _product_files() -> list[Path]:
    return [
        path
        for top in PRODUCT
        for path in sorted((ROOT / top).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def long_functions() -> list[tuple[int, str]]:
    found = []
    for path in _product_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > LONG:
                    where = f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                    found.append((length, where))
    return sorted(found, reverse=True)


def spanish_branches() -> list[str]:
    pattern = re.compile(r"""==\s*["']es["']|["']es["']\s*==""")
    return [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _product_files()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]


def duplicate_pairs() -> list[str] | None:
    """`duplicates` rows with both sides in product code (boilerplate and migrations aside)."""
    if shutil.which("duplicates") is None:
        return None
    report = subprocess.run(
        ["duplicates", "--most", "200", "--seconds", "180"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    rows = []
    for line in report.splitlines():
        parts = line.split()
        if not parts or not re.fullmatch(r"D\d+", parts[0]) or "boilerplate" in parts:
            continue
        sides = (parts[1], parts[3])
        if all(side.split("/")[0] in PRODUCT and "migrations" not in side for side in sides):
            rows.append(line)
    return rows


def main() -> None:
    listing = "--list" in sys.argv
    longs = long_functions()
    print(f"functions over {LONG} lines: {len(longs)}")
    if listing:
        for length, where in longs:
            print(f"  {length:4d} {where}")
    branches = spanish_branches()
    print(f'== "es" comparisons: {len(branches)}')
    if listing:
        for where in branches:
            print(f"  {where}")
    pairs = duplicate_pairs()
    if pairs is None:
        print("duplicate pairs: (the duplicates tool is not on PATH)")
    else:
        print(f"non-boilerplate duplicate pairs: {len(pairs)}")
        if listing:
            for row in pairs:
                print(f"  {row}")


if __name__ == "__main__":
    main()
