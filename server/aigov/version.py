"""The two versions a citation needs: the code's semantic version (the release) and the data's version (the
report edition the facts come from and the day the graph was built), shown on /health, pages and VoID."""
from __future__ import annotations

from importlib import metadata

REPORT_EDITION = "2025"  # 人工智能法律政策图景研究报告(2025年)

try:
    __version__ = metadata.version("aigov")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"


def data_version(manifest: dict) -> str:
    """e.g. ``caict-2025/2026-12-07``: the report edition and the build date (a build hash names the exact bytes)."""
    return f"caict-{REPORT_EDITION}/{manifest.get('built', '')[:10] or 'unbuilt'}"
