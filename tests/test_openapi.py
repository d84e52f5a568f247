"""schemathesis generates requests from /openapi.json and checks every response against it (no 5xx, documented
status codes and content types, schema-conformant bodies)."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings


@pytest.fixture(scope="module")
def api_schema(server):
    return schemathesis.openapi.from_url(server("/openapi.json"))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_openapi_description(case):
    case.call_and_validate()
