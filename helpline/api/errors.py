"""Every error under /api answers JSON ``{"error": "<what is wrong, in words>"}``.

Views raise the named exceptions below. Flask's own errors (no such route, wrong method, a body
too large) happen before any blueprint is chosen, so an app-level handler turns those into the
same JSON for paths under /api and leaves every other path to Flask's defaults.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound as RouteNotFound, RequestEntityTooLarge

API_PREFIX = "/api"


class ApiError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(ApiError):
    """The request itself is malformed: not JSON, or a query parameter we cannot read."""

    status = 400


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    """Well-formed, but clashes with what is stored (a duplicate phone, an overlapping shift)."""

    status = 409


class Unprocessable(ApiError):
    """Well-formed JSON whose content cannot be accepted (an impossible shift, a bad number)."""

    status = 422


def error_response(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="helpline"'
    return response


def handle_api_error(error: ApiError) -> Response:
    return error_response(error.status, error.message)


def _http_error_words(error: HTTPException) -> str:
    if isinstance(error, RouteNotFound):
        return f"there is no API endpoint {request.path}; GET /api/openapi.json lists them"
    if isinstance(error, MethodNotAllowed):
        allowed = ", ".join(sorted(set(error.valid_methods or ()) - {"HEAD", "OPTIONS"}))
        return f"{request.method} is not allowed on {request.path}; use {allowed}"
    if isinstance(error, RequestEntityTooLarge):
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return "the request body is too large" + (f"; at most {limit // 1024} KiB" if limit else "")
    return error.description or error.name


def handle_http_error(error: HTTPException) -> Response | HTTPException:
    """JSON for Flask's own errors under /api; anywhere else, Flask's default page."""
    if not is_api_request():
        return error
    if (error.code or 500) >= 500:
        # Flask has already logged the exception; the database session rolled back with it.
        response = error_response(error.code or 500, "something went wrong on the server; nothing was changed")
    else:
        response = error_response(error.code or 400, _http_error_words(error))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_error)
