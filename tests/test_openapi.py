"""schemathesis (its CLI) generates requests from /openapi.json against the real server and checks every
response against the description: no 5xx, documented status codes and content types, conformant bodies."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.timeout(700)  # the schemathesis run is bounded at 600 s; above the suite's 300 s
def test_the_api_conforms_to_its_openapi_description(server):
    st = Path(sys.executable).parent / "st"
    result = subprocess.run(
        [str(st), "run", server("/openapi.json"), "--checks", "all", "--max-examples", "4", "--seed", "1",
         "--workers", "2", "--phases", "examples,coverage,fuzzing", "--request-timeout", "30"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
