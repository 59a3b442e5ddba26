"""The typer application, its global options, and how errors become exit codes."""

from __future__ import annotations

import atexit
import contextlib
import inspect
import os
import sys
import threading
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from poolbooks.cli.help_pages import Typer
from poolbooks.errors import UserInputError
from poolbooks.logs import configure_logging
from poolbooks.permissions import never_world_writable
from poolbooks.pool_api.errors import PoolApiError
from poolbooks.redaction import redact
from poolbooks.warehouse.errors import BuildError, ProjectError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_POOL = 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a process SIGINT stopped (128 + 2)

F = TypeVar("F", bound=Callable[..., Any])

app = Typer(
    name="poolbooks",
    help="Trustworthy books for BTC.com mining pool accounts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True, highlight=False)
PIPE_WIDTH = 160  # tables written to a pipe or file are not cut to 80 columns


def out_console() -> Console:
    """Standard output: the terminal's width, or a wide one when piped."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=PIPE_WIDTH)


_state = {"debug": False}


def _debug_given(value: bool) -> None:
    """`--debug` after a command: the same as before it."""
    if value and not _state["debug"]:
        _state["debug"] = True
        configure_logging(True)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # only here: 0.05 s of every start

        typer.echo(f"poolbooks {version('poolbooks')}")
        raise typer.Exit()


DEBUG_HELP = "Log at DEBUG and show tracebacks (before or after the command)."
DEBUG_OPTION: Any = typer.Option(False, "--debug", help=DEBUG_HELP, callback=_debug_given)


@app.callback()
def _global_options(
    debug: bool = typer.Option(False, "--debug", help=DEBUG_HELP),
    _version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_show_version,
        expose_value=False,
        help="Print the version and exit.",
    ),
) -> None:
    _state["debug"] = debug
    configure_logging(debug)


def fail(message: str, code: int) -> typer.Exit:
    """Print one redacted line to stderr and return the Exit to raise."""
    text = escape(redact(message))  # a message's own brackets (`[simulator] seed`) are text
    err_console.print(f"[red]error:[/red] {text}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def one_line_errors(func: F) -> F:
    """Turn errors into one line and an exit code; tracebacks only with --debug. Every
    command is wrapped so, and so takes `--debug` after its name as well (DEBUG_OPTION)."""

    @wraps(func)
    def wrapper(*args: Any, debug: bool = False, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own ways out: an exit code chosen, a usage error
        except KeyboardInterrupt:  # Ctrl-C: not an error; a command with work to keep says more
            err_console.print("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # the command line's edge: one line, always
            error = _first_leaf(exc)
            if not isinstance(error, UserInputError):
                _maybe_traceback()
            raise fail(_describe(error), _exit_code_for(error)) from None

    signature = inspect.signature(func)
    debug_option = inspect.Parameter(
        "debug", inspect.Parameter.KEYWORD_ONLY, default=DEBUG_OPTION, annotation=bool
    )
    parameters = [*signature.parameters.values(), debug_option]
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _first_leaf(exc: BaseException) -> BaseException:
    """The first error inside (nested) exception groups, such as a task group raises."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def _exit_code_for(error: BaseException) -> int:
    if isinstance(error, UserInputError):  # a setting or path to fix: config or lake
        return EXIT_USAGE
    if isinstance(error, PoolApiError):
        return EXIT_POOL
    return EXIT_FINDINGS  # a failed build or data test, or anything unexpected (disk, lake)


def _describe(error: BaseException) -> str:
    if isinstance(error, UserInputError | PoolApiError | BuildError | ProjectError):
        return str(error)
    text = " ".join(str(error).split()) or "no details"
    return f"{type(error).__name__}: {text} (run with --debug for the traceback)"


def _maybe_traceback() -> None:
    if _state["debug"]:
        sys.stderr.write(redact(traceback.format_exc()))


def main() -> None:
    """Console-script entry point."""
    never_world_writable()
    try:
        app()  # click ends every run, good or bad, with SystemExit
        code = EXIT_OK
    except SystemExit as exc:
        code = _exit_code(exc)
    exit_without_teardown(code)


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or EXIT_OK
    sys.stderr.write(f"{exc.code}\n")
    return 1


def exit_without_teardown(code: int) -> NoReturn:
    """End the process once its work is done, skipping the interpreter's teardown.

    With Arrow, DuckDB and (through pyarrow) pandas loaded, freeing every module on the way
    out is a noticeable share of a short command such as an incremental ingest
    (benchmarks/README.md, B3), all of it after the last byte is written. Exit handlers still
    run and output is flushed first; while another (non-daemon) thread is still running, the
    ordinary exit waits for it instead.
    """
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if any(t.is_alive() and not t.daemon for t in others):
        sys.exit(code)
    atexit._run_exitfuncs()  # logging.shutdown among them
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream
            stream.flush()
    os._exit(code)
