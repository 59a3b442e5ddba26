"""The warehouse as the asset graph shows it: an asset per model the warehouse keeps (seeds,
staging views, marts), described and typed from the model's header, and a check per data test.

Intermediate models are temporary tables of one build, gone once it is published: they are no
assets, and a kept model depends on what they read, through them.
"""

from __future__ import annotations

from typing import Any

import dagster as dg

from poolbooks.warehouse.project import SqlFile, SqlProject
from poolbooks_dagster.code_references import file_reference

GROUP = "warehouse"
KIND_OF_LAYER = {"seeds": "seed", "staging": "view", "marts": "table"}


def published_models(project: SqlProject) -> list[str]:
    """The models the warehouse keeps, in build order."""
    return [name for name in project.order if project.models[name].is_published]


def published_reads(project: SqlProject, name: str) -> tuple[set[str], set[str]]:
    """The kept models and lake datasets a model reads, directly or through intermediate ones."""
    models: set[str] = set()
    sources = set(project.models[name].sources)
    pending = list(project.depends_on[name])
    seen: set[str] = set()
    while pending:
        read = pending.pop()
        if read in seen:
            continue
        seen.add(read)
        if project.models[read].is_published:
            models.add(read)
        else:
            sources |= project.models[read].sources
            pending.extend(project.depends_on[read])
    return models, sources


def column_schema(model: SqlFile) -> dg.TableSchema:
    """The columns the model's header documents (`-- column name TYPE: meaning`)."""
    return dg.TableSchema(
        columns=[
            dg.TableColumn(column.name, column.type, description=column.description or None)
            for column in model.doc.columns
        ]
    )


def model_specs(project: SqlProject) -> list[dg.AssetSpec]:
    """One asset per kept model; its deps are the kept models and lake datasets it reads."""
    specs = []
    for name in published_models(project):
        model = project.models[name]
        models, sources = published_reads(project, name)
        metadata: dict[str, Any] = {
            "dagster/column_schema": column_schema(model),
            "dagster/code_references": file_reference(model.path),
        }
        if model.key:
            metadata["key"] = ", ".join(model.key)
        specs.append(
            dg.AssetSpec(
                name,
                group_name=GROUP,
                deps=[*sorted(models), *sorted(sources)],
                description=model.doc.description or None,
                kinds={"duckdb", "sql", KIND_OF_LAYER[model.layer]},
                tags={"layer": model.layer},
                metadata=metadata,
            )
        )
    return specs


def checked_model(project: SqlProject, test: str) -> str:
    """The asset a data test is a check of: the most downstream kept model it reads; when it
    reads intermediate models only, the first kept model built from them, or, when none is yet,
    the last kept model built."""
    targets = project.test_targets(test)
    kept = [name for name in targets if project.models[name].is_published]
    if kept:
        return kept[-1]
    built_from_them = [
        name for name in published_models(project) if set(targets) & _built_from(project, name)
    ]
    return (built_from_them or published_models(project)[-1:])[0]


def _built_from(project: SqlProject, name: str) -> set[str]:
    pending, seen = list(project.depends_on[name]), set[str]()
    while pending:
        read = pending.pop()
        if read not in seen:
            seen.add(read)
            pending.extend(project.depends_on[read])
    return seen


def check_specs(project: SqlProject) -> list[dg.AssetCheckSpec]:
    """Each data test (`sql/tests/assert_*.sql`, and one per declared key) as a blocking check."""
    return [
        dg.AssetCheckSpec(
            name,
            asset=checked_model(project, name),
            blocking=True,
            description=(test.sql.splitlines() or [""])[0].removeprefix("-- "),
        )
        for name, test in project.tests.items()
    ]
