"""Errors as readable responses: HTML for browsers, plain text for everyone else, never a traceback."""
from __future__ import annotations

from flask import Response, render_template, request

from ..negotiation import wants_html

REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
           413: "Payload Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests", 500: "Server Error",
           502: "Bad Gateway", 503: "Service Unavailable"}


def error_response(status: int, message: str) -> Response:
    if wants_html(request.headers.get("Accept")):
        body = render_template("error.html", status=status, reason=REASONS.get(status, ""), message=message)
        return Response(body, status=status, mimetype="text/html")
    return Response(f"{status} {REASONS.get(status, '')}: {message}\n", status=status, mimetype="text/plain")
