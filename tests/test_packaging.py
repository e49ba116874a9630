"""A normal (non-editable) install works: the wheel carries the catalogs and data files."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    folders = {str(init.parent.relative_to(ROOT)).replace("/", ".")
               for top in ("bot", "flows") for init in (ROOT / top).rglob("__init__.py")}
    assert folders <= listed, folders - listed


def test_the_wheel_chats_without_the_checkout(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
                   check=True, timeout=240, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(unpacked)
    assert "complaint_bot_locale/zh_CN.toml" in names
    data_files = {str(path.relative_to(ROOT)) for path in (ROOT / "flows").rglob("data/*")
                  if path.is_file() and "__pycache__" not in path.parts}
    assert data_files and data_files <= set(names), sorted(data_files - set(names))
    env = {**os.environ, "PYTHONPATH": str(unpacked), "DATABASE_PATH": str(tmp_path / "db.sqlite3")}
    run = subprocess.run(
        [sys.executable, "-c", "import flows, sys; print(flows.__file__, file=sys.stderr);"
         "from bot.cli import main; main(['chat'])"],
        input="1\n/quit\n", capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert str(unpacked) in run.stderr, "the code came from the wheel, not the checkout"
    assert "你想投诉还是举报？" in run.stdout
