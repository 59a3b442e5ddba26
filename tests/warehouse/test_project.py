"""The SQL project as the runner reads it: shared expressions as macros."""

from __future__ import annotations

import re

from pipelines.warehouse.project import load_project


def test_every_macro_is_called_and_no_model_writes_out_a_macros_expression() -> None:
    project = load_project()
    assert project.macros is not None
    macros = re.findall(r"create or replace macro (\w+)\(", project.macros.sql)
    assert macros == [
        "trimmed_or_null",
        "pool_time",
        "pool_day",
        "pool_day_ended",
        "sum_sat",
        "pct_change",
    ]
    models = {name: model.sql for name, model in project.models.items()}
    for macro in macros:
        assert any(f"{macro}(" in sql for sql in models.values()), macro
    written_out = {
        "trimmed_or_null": r"nullif\(regexp_replace\(",
        "pool_time": r"timezone\(",
        "sum_sat": r"cast\(sum\([^()]*\) as bigint\)",
        "pct_change": r"nullif\([^()]*\) - 1\) \* 100",
    }
    for name, sql in models.items():
        for macro, pattern in written_out.items():
            assert not re.search(pattern, sql), f"{name} writes out {macro}"
