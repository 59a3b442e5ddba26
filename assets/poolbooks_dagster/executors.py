"""The executor every job runs on: Dagster's default (processes on one machine) or Celery.

With `[dagster] executor = "celery"`, each step is a Celery task that workers on any machine
pick up (`dagster-celery worker start`). The broker and result backend come from
`DAGSTER_CELERY_BROKER_URL` and `DAGSTER_CELERY_BACKEND_URL`, which the workers' `celery.yaml`
must name too.
"""

from __future__ import annotations

import dagster as dg

from poolbooks.config import DagsterSettings

BROKER_ENV = "DAGSTER_CELERY_BROKER_URL"
BACKEND_ENV = "DAGSTER_CELERY_BACKEND_URL"


def executor_for(settings: DagsterSettings) -> dg.ExecutorDefinition | None:
    """None keeps Dagster's default executor."""
    if settings.executor != "celery":
        return None
    try:
        from dagster_celery import celery_executor  # only deployments that use Celery install it
    except ImportError as exc:
        raise RuntimeError(
            'executor = "celery" needs the deploy extra: pip install "poolbooks[deploy]"'
        ) from exc

    executor: dg.ExecutorDefinition = celery_executor.configured(
        {"broker": {"env": BROKER_ENV}, "backend": {"env": BACKEND_ENV}},
        name="celery",
    )
    return executor
