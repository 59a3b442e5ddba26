"""The lake's errors: a location that is no lake reads as the one config-error line the
command line prints, and counts as something the user must fix."""

from __future__ import annotations

import pytest

from poolbooks.config import ConfigError
from poolbooks.errors import UserInputError
from poolbooks.lake.errors import LakeLocationError
from poolbooks.lake.storage import LakeStorage


def test_a_lake_location_error_reads_as_a_config_error_line_naming_the_setting() -> None:
    error = LakeLocationError("/x/lake is not a poolbooks lake (no such folder)")
    assert str(error) == "config error: lake: /x/lake is not a poolbooks lake (no such folder)"
    assert str(error) == str(ConfigError("lake", error.problem))


def test_lake_and_config_errors_are_both_something_the_user_must_fix() -> None:
    assert isinstance(LakeLocationError("x"), UserInputError)
    assert isinstance(ConfigError("lake", "x"), UserInputError)
    assert not isinstance(LakeLocationError("x"), ConfigError)  # the lake knows no config


def test_a_uri_no_filesystem_opens_is_a_lake_location_error_without_its_password() -> None:
    with pytest.raises(
        LakeLocationError, match=r"^config error: lake: cannot open nosuch://"
    ) as info:
        LakeStorage("nosuch://user:hunter2@bucket/lake")
    assert "hunter2" not in str(info.value)
