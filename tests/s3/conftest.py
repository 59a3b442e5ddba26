"""A local S3-compatible server (moto's server mode) on loopback, and the standard AWS
environment variables pointing at it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import boto3
import pytest

from harness.s3 import CREDENTIALS, moto_server


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh bucket; credentials and endpoint only through the standard AWS variables."""
    for name, value in {**CREDENTIALS, "AWS_ENDPOINT_URL": s3_endpoint}.items():
        monkeypatch.setenv(name, value)
    bucket = f"poolbooks-{uuid.uuid4().hex[:12]}"
    boto3.client("s3").create_bucket(Bucket=bucket)
    return bucket
