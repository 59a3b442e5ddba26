"""Code references: where each asset is defined (its Python function; a model's SQL file first).

Dagster marks these APIs beta and warns each time they are called; that one warning, about our
choice to use them, is silenced here and nowhere else."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

BETA_APIS = (
    r"(Function|Class) `(with_source_code_references|LocalFileCodeReference"
    r"|CodeReferencesMetadataValue)` is currently in beta"
)


@contextmanager
def _beta_apis_accepted() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=BETA_APIS, category=dg.BetaWarning)
        yield


def file_reference(path: Path) -> dg.CodeReferencesMetadataValue:
    """A reference to the top of a file, labelled with its name."""
    with _beta_apis_accepted():
        return dg.CodeReferencesMetadataValue(
            code_references=[
                dg.LocalFileCodeReference(
                    file_path=str(path.resolve()), line_number=1, label=path.name
                )
            ]
        )


def with_code_references(
    assets: Sequence[dg.AssetsDefinition],
) -> Sequence[dg.AssetsDefinition]:
    """Each asset with a reference to the function that computes it, after any it has."""
    with _beta_apis_accepted():
        return [
            a for a in dg.with_source_code_references(assets) if isinstance(a, dg.AssetsDefinition)
        ]
