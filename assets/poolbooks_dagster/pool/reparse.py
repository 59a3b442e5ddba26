"""The reparse job: `poolbooks reparse` from Dagster, the lake's pool datasets derived again
from its archived pages with today's parser, without a request."""

# No `from __future__ import annotations`: Dagster reads the op's annotations at runtime.

import dagster as dg

from poolbooks.ingest.reparse import reparse_lake
from poolbooks_dagster.pool.resources import LakeResource
from poolbooks_dagster.warehouse.resources import WarehouseResource


class ReparseConfig(dg.Config):
    """Which accounts to derive again; none named: every account of the config."""

    accounts: list[str] = []  # noqa: RUF012  (pydantic copies defaults)


@dg.op(
    description="Derive the lake's pool datasets again from the archived pages (no request); "
    "fails when pages still do not parse.",
)
def reparse_lake_op(
    context: dg.OpExecutionContext,
    config: ReparseConfig,
    warehouse: WarehouseResource,  # the config without keys: reparse makes no request
    lake: LakeResource,
) -> None:
    settings = warehouse.settings()
    accounts = settings.select(config.accounts)
    report = reparse_lake(settings, lake.storage(), accounts, on_wait=context.log.info)
    changes = {
        name: {"added": c.added, "changed": c.changed, "removed": c.removed}
        for name, c in report.changes.items()
    }
    for dataset, change in report.changes.items():
        if change.any:  # the lake assets it rewrote, account by account
            for account in accounts:
                context.log_event(
                    dg.AssetMaterialization(
                        asset_key=dataset,
                        partition=account.name,
                        metadata={"reparse": report.run_id, **changes[dataset]},
                    )
                )
    context.log.info(
        f"read {report.pages} archived pages again ({report.recovered} set apart when fetched), "
        f"{len(report.failing)} still failing; {len(report.files)} partitions rewritten"
    )
    if report.failing:
        raise dg.Failure(
            description=f"{len(report.failing)} archived pages still do not parse",
            metadata={
                "failing": dg.MetadataValue.json(
                    [
                        {
                            "account": p.account,
                            "endpoint": p.endpoint,
                            "page": p.page,
                            "error": p.error,
                        }
                        for p in report.failing
                    ]
                ),
                "changes": dg.MetadataValue.json(changes),
            },
            allow_retries=False,
        )


@dg.job(description="Derive the lake's pool datasets again from its archived pages.")
def reparse_job() -> None:
    reparse_lake_op()
