"""`make dev`: `dg dev` on your config, or on the demo's with the demo's simulator served again
beside it; on Ctrl-C or SIGTERM every process it started stops, the webserver, the daemon and
the code server with it.

`python -m poolbooks_dagster.dev [--dir demo] [--host 127.0.0.1] [--port 3000]`, from the folder
of workspace.yaml. With `POOLBOOKS_CONFIG` set it runs Dagster on that config and the instance
`DAGSTER_HOME` names (a temporary one when unset).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from types import FrameType

from poolbooks.demo import DAGSTER_HOME, demo_environment
from poolbooks_dagster.instance_config import write_instance_config

WORKSPACE = Path("workspace.yaml")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE_SECONDS = 20.0  # `dg dev` waits up to 10 s for each of the webserver and the daemon


def tool(name: str) -> str:
    """A command installed beside this Python (the virtualenv's bin/)."""
    return str(Path(sys.executable).with_name(name))


def start(command: Sequence[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A child in a session of its own: a terminal's Ctrl-C reaches this process only, which
    stops the children in order."""
    return subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603


def stop(children: Sequence[subprocess.Popen[bytes]]) -> None:
    """`dg dev` gets SIGINT (its own shutdown of the webserver, daemon and code server), the
    simulator SIGTERM; whatever is left of their process groups after the grace time is
    killed."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT if child is children[-1] else signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children:
        with suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
    for child in children:
        with suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)  # stragglers of its group, if any
        child.wait()


def demo_children(folder: Path, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    """The demo's environment in `env` (its keys, config and Dagster instance), and its
    simulator started; the demo is made first when the folder has none."""
    config = folder / "poolbooks.toml"
    if not config.is_file():
        subprocess.run([tool("poolbooks"), "demo", "--dir", str(folder)], check=True)  # noqa: S603
    home = folder / DAGSTER_HOME
    write_instance_config(home)  # a demo made before the demo wrote it
    env.update(demo_environment(folder))
    env.update(POOLBOOKS_CONFIG=str(config), DAGSTER_HOME=str(home))
    return [start([tool("poolbooks"), "simulate", "--config", str(config)], env)]


def run(folder: Path, host: str, port: int) -> int:
    """Until a stop signal or a child's exit; 1 when a child exited on its own."""
    env = dict(os.environ)
    children = [] if env.get("POOLBOOKS_CONFIG") else demo_children(folder, env)
    dev = [tool("dg"), "dev", "-w", str(WORKSPACE), "--host", host, "--port", str(port)]
    stopping: list[int] = []

    def on_signal(number: int, frame: FrameType | None) -> None:
        stopping.append(number)

    for number in STOP_SIGNALS:
        signal.signal(number, on_signal)
    try:
        children.append(start(dev, env))
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
    finally:
        stop(children)
    return 0 if stopping else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make dev", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("demo"), help="the demo's folder")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args(argv)
    return run(args.dir.resolve(), args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
