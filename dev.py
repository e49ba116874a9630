#!/usr/bin/env python3
"""One entry point for newcomers: builds ./.venv when needed, then runs the bot or the tests.

    python3 dev.py chat      # talk to the bot in this terminal (no token needed)
    python3 dev.py test      # lint and run the whole test suite

Any other arguments are passed to the `complaint-bot` command inside the environment.
Only the standard library is used here, so it works on a fresh Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"


def _wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    """Create the virtual environment and install the project once per pyproject change."""
    if not (BIN / "python").exists():
        print("Creating .venv …", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _wanted_stamp():
        return
    print("Installing dependencies into .venv …", file=sys.stderr)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(_wanted_stamp())


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    ensure_environment()
    os.chdir(ROOT)
    if argv[0] == "test":
        lint = subprocess.run([str(BIN / "ruff"), "check", "."])
        tests = subprocess.run([str(BIN / "python"), "-m", "pytest", *argv[1:]])
        return lint.returncode or tests.returncode
    return subprocess.run([str(BIN / "complaint-bot"), *argv]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
