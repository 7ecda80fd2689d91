"""One JSON error shape for every route, with the catalogue's numbered codes.

Every answer that is not a success is ``{"error": {"code", "status", "message", "param"}}``: a code
from :mod:`flashpoint.errors` (E3xx for the API, E1xx/E2xx where the library already has one), the
HTTP status again, the message in words, and the query parameter at fault (or null). The handlers
below turn FastAPI's and Starlette's own errors (validation, 404, 405) and any unexpected exception
into that shape, so no route ever answers with another one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import Errors, FlashpointError

log = logging.getLogger(__name__)

# The HTTP status each code is answered with; codes not listed are a client's mistake (422).
STATUS = {
    "E302": 400,  # the body could not even be parsed
    "E307": 404,
    "E308": 404,
    "E309": 405,
    "E312": 500,
}
CLIENT_ERROR = 422


class ErrorDetail(BaseModel):
    code: str = Field(description="the catalogue code, e.g. E303 (listed in README.md)", examples=["E303"])
    status: int = Field(description="the HTTP status, repeated", examples=[422])
    message: str = Field(description="what went wrong and what to do")
    param: str | None = Field(None, description="the query parameter or field at fault, when there is one")


class ErrorResponse(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail


# Documented on every API route, so the OpenAPI page shows the shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in ((400, "malformed request body"), (404, "not found"), (422, "invalid parameter"))
}


class ApiError(FlashpointError):
    """A request the API refuses: a catalogue code, its HTTP status and the parameter at fault."""

    def __init__(self, code: str, param: str | None = None, **details: object) -> None:
        super().__init__(code, param=param, **details)
        self.param = param
        self.status = STATUS.get(code, CLIENT_ERROR)


def error_response(
    code: str, message: str, param: str | None = None, status: int | None = None
) -> JSONResponse:
    status = status or STATUS.get(code, CLIENT_ERROR)
    body = {"error": {"code": code, "status": status, "message": message, "param": param}}
    return JSONResponse(body, status_code=status)


def _from_catalogue(code: str, param: str | None = None, **details: object) -> JSONResponse:
    return error_response(code, getattr(Errors, code).format(**details), param)


def _where(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """A validation error's location as the parameter name ("page", "body.actor")."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or None


async def _on_api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.code, exc.message, exc.param, exc.status)


async def _on_library_error(request: Request, exc: FlashpointError) -> JSONResponse:
    return error_response(exc.code, exc.message)


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
    if first.get("type") == "json_invalid":
        detail = first.get("ctx", {}).get("error", first.get("msg", ""))
        return _from_catalogue("E302", "body", detail=detail)
    param = _where(first.get("loc", ()))
    value = first.get("input")
    shown = json.dumps(value, default=str)[:80] if value is not None else "missing"
    detail = f"{param or 'request'}: {first.get('msg', 'invalid')} (got {shown})"
    return _from_catalogue("E301", param, detail=detail)


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    path = request.url.path
    if exc.status_code == 404:
        return _from_catalogue("E308", path=path)
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "GET")
        response = _from_catalogue("E309", method=request.method, path=path, allowed=allowed)
        response.headers["Allow"] = allowed
        return response
    return error_response("E301", Errors.E301.format(detail=exc.detail), status=exc.status_code)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error answering %s", request.url.path, exc_info=exc)
    return _from_catalogue("E312", path=request.url.path, detail=type(exc).__name__)


_Handler = Callable[[Request, Any], Awaitable[Response]]
# Starlette picks the handler of the most specific class, so the order here does not matter.
HANDLERS: tuple[tuple[type[Exception], _Handler], ...] = (
    (ApiError, _on_api_error),
    (FlashpointError, _on_library_error),
    (RequestValidationError, _on_validation_error),
    (StarletteHTTPException, _on_http_error),
    (Exception, _on_unexpected),
)


def install_error_handlers(app: FastAPI) -> None:
    for kind, handler in HANDLERS:
        app.add_exception_handler(kind, handler)
