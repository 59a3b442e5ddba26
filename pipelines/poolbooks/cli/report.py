"""`poolbooks report`: one self-contained HTML page of charts and tables."""

from __future__ import annotations

from pathlib import Path

import typer

from poolbooks.cli.app import EXIT_USAGE, app, fail, one_line_errors, out_console
from poolbooks.cli.options import CONFIG_OPTION, config_from, new_folder, say_created

OUTPUT_OPTION = typer.Option(..., "--output", help="The HTML file to write.", dir_okay=False)


@app.command()
@one_line_errors
def report(
    output: Path = OUTPUT_OPTION,
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Write settled earnings per day, month and year (per coin), network difficulty, hashrate,
    efficiency, unpaid balance, payouts and findings as one page that opens with no network."""
    from poolbooks.report.render import write_report

    settings = config_from(config, require_keys=False)
    folder = new_folder(output)
    try:
        size = write_report(settings.warehouse, output)
    except FileNotFoundError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    say_created(folder)
    out_console().print(f"wrote {output} ({size / 1024:.0f} KiB)")
