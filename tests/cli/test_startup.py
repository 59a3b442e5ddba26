"""What a command costs before its first request and after its last byte (benchmark B3)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_an_ingest_reaches_its_first_request_without_arrow_or_duckdb() -> None:
    """Both load in worker threads while the first requests are in flight."""
    result = python(
        "import sys, poolbooks.cli, poolbooks.ingest.run\n"
        "print(sorted(m for m in ('pyarrow', 'duckdb', 'pandas') if m in sys.modules))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_quick_exit_flushes_output_runs_exit_handlers_and_keeps_the_code() -> None:
    result = python(
        "import atexit, sys\n"
        "from poolbooks.cli.app import exit_without_teardown\n"
        "atexit.register(lambda: print('exit handler ran'))\n"
        "print('x' * 200000)\n"
        "sys.stderr.write('to stderr')\n"
        "exit_without_teardown(3)\n"
    )
    assert result.returncode == 3
    assert result.stdout == "x" * 200000 + "\nexit handler ran\n"
    assert result.stderr == "to stderr"


def test_the_quick_exit_waits_for_a_thread_still_working(tmp_path: Path) -> None:
    done = tmp_path / "done"
    result = python(
        "import threading, time\n"
        "from poolbooks.cli.app import exit_without_teardown\n"
        "def work():\n"
        "    time.sleep(0.3)\n"
        f"    open({str(done)!r}, 'w').write('finished')\n"
        "threading.Thread(target=work).start()\n"
        "exit_without_teardown(0)\n"
    )
    assert result.returncode == 0, result.stderr
    assert done.read_text() == "finished"


def test_the_command_line_keeps_its_exit_codes_and_output(tmp_path: Path) -> None:
    poolbooks = str(Path(sys.executable).with_name("poolbooks"))
    missing = subprocess.run(
        [poolbooks, "build", "--config", str(tmp_path / "none.toml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
    shown = subprocess.run([poolbooks, "--help"], capture_output=True, text=True, check=False)
    assert shown.returncode == 0 and "Usage: poolbooks" in shown.stdout
