"""One error hierarchy. Each error knows its CLI exit code and its HTTP status, so the CLI and the web
answer the same problem the same way (exit codes: 0 ok, 1 not conformant / not found, 2 usage or runtime)."""
from __future__ import annotations


class AigovError(Exception):
    exit_code = 2
    http_status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UsageError(AigovError):
    """A flag, setting or argument the user gave is wrong."""


class DataError(AigovError):
    """An input file cannot be parsed; the message names file and line."""


class ReasoningError(AigovError):
    """The OWL RL closure failed."""


class NotConformant(AigovError):
    """SHACL found violations; carries the validation report."""

    exit_code = 1

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


class ArtefactError(AigovError):
    """The build artefact is missing, stale or corrupted."""


class BadRequest(AigovError):
    exit_code = 2
    http_status = 400


class NotFound(AigovError):
    exit_code = 1
    http_status = 404


class NotAcceptable(AigovError):
    http_status = 406


class PayloadTooLarge(AigovError):
    http_status = 413


class UpstreamError(AigovError):
    """A remote SPARQL endpoint failed or did not answer."""

    http_status = 502


class Forbidden(AigovError):
    """The operation is refused by policy (e.g. SPARQL Update on a read-only endpoint)."""

    http_status = 403


class UnsupportedMediaType(AigovError):
    http_status = 415


class QueryTimeout(AigovError):
    """The query ran past the time limit and its evaluation was stopped."""

    http_status = 503


class MemoryLimit(AigovError):
    """The query's evaluator went past its memory limit and was stopped."""

    http_status = 503


class EvaluatorsDown(AigovError):
    """The process that forks query evaluators has ended; under `aigov serve` the worker that notices is replaced
    and the master forks a new one first."""

    http_status = 503


class Busy(AigovError):
    """Every query slot is taken; the client should retry shortly."""

    http_status = 503


class RateLimited(AigovError):
    http_status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Unauthorized(AigovError):
    """The operation needs credentials (a bearer token) that were missing."""

    http_status = 401
