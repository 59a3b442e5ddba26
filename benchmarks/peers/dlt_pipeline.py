"""Peer for B2: a dlt `rest_api` pipeline over the same endpoints, writing Parquet.

Run as a script (`python -m benchmarks.peers.dlt_pipeline BASE_URL OUT_DIR ACCOUNTS_JSON`) so
that its wall time includes its own start-up, as poolbooks' does.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dlt.sources.rest_api.typing import RESTAPIConfig


def dlt_ingest(base_url: str, accounts: list[tuple[int, str]], out: Path) -> None:
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")
    os.environ["DATA_WRITER__DISABLE_COMPRESSION"] = "false"
    import dlt
    from dlt.sources.rest_api import rest_api_source

    config: RESTAPIConfig = {"client": {"base_url": base_url + "/"}, "resources": []}
    for puid, key in accounts:
        auth: dict[str, Any] = {"puid": puid, "access_key": key}  # dlt's type of `params`
        config["resources"].append(
            {
                "name": f"earn_history_{puid}",
                "table_name": "earn_history",
                "endpoint": {
                    "path": "v1/account/earn-history",
                    "params": {**auth, "page_size": 50},
                    "data_selector": "data.list",
                    "paginator": {
                        "type": "page_number",
                        "page_param": "page",
                        "base_page": 1,
                        "total_path": "data.page_count",
                    },
                },
            }
        )
        for name, path in (
            ("account_info", "v1/account/info"),
            ("earn_stats", "v1/account/earn-stats"),
            ("hashrate", "v1/realtime/hashrate"),
            ("worker_stats", "v1/worker/stats"),
        ):
            config["resources"].append(
                {
                    "name": f"{name}_{puid}",
                    "table_name": name,
                    "endpoint": {
                        "path": path,
                        "params": auth,
                        "data_selector": "data",
                        "paginator": "single_page",
                    },
                }
            )
    source = rest_api_source(config)
    pipeline = dlt.pipeline(
        pipeline_name="poolbooks_peer",
        destination=dlt.destinations.filesystem(bucket_url=str(out)),
        dataset_name="pool",
        pipelines_dir=str(out / ".dlt"),
    )
    pipeline.run(source, loader_file_format="parquet")


if __name__ == "__main__":
    dlt_ingest(
        sys.argv[1],
        [tuple(a) for a in json.loads(Path(sys.argv[3]).read_text())],
        Path(sys.argv[2]),
    )
