"""`poolbooks compact`: merge each lake partition's small files into one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from poolbooks.cli.app import app, err_console, one_line_errors, out_console
from poolbooks.cli.options import CONFIG_OPTION, config_from


@app.command()
@one_line_errors
def compact(config: Path | None = CONFIG_OPTION) -> None:
    """Merge small lake files per partition; no row is lost or duplicated."""
    from poolbooks.ingest.run_ids import new_run_id
    from poolbooks.lake.compact import compact_lake
    from poolbooks.lake.lock import lake_lock
    from poolbooks.lake.marker import open_lake
    from poolbooks.lake.writer import recover

    settings = config_from(config, require_keys=False)
    storage = open_lake(settings.lake, settings.source)
    with lake_lock(storage, on_wait=err_console.print):
        recover(storage)
        report = compact_lake(storage, new_run_id(datetime.now(UTC)))
    console = out_console()
    console.print(
        f"compacted {report.partitions} partitions: {report.files_merged} files into "
        f"{report.files_written}, {report.rows} rows"
        + (
            f"; finished {report.leftovers_removed} interrupted merges"
            if report.leftovers_removed
            else ""
        )
    )
    for line in report.details:
        console.print("  " + line)
