"""FHIR R4 REST API at `/fhir/R4`: metadata, read, search and transaction import.

Every answer is `application/fhir+json`; errors are OperationOutcomes (400 malformed, 401 no or
wrong token, 404 unknown type or id, 422 refused import). The work is done by `assistant.fhir`;
this module only authenticates, opens the unit of work and renders.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException

from assistant.fhir import capability, importer, server
from assistant.fhir.errors import BadRequest, FhirError, Issue, operation_outcome
from assistant.fhir.systems import JSON_MIME
from assistant.practices import NoPractice, practice_for_number
from assistant.unit_of_work import UnitOfWork
from webhooks.context import settings
from webhooks.fhir.auth import token_name
from webhooks.safe_logging import log_unexpected

bp = Blueprint("fhir", __name__, url_prefix="/fhir/R4")
log = logging.getLogger(__name__)


def _answer(body: dict[str, Any], status: int = 200, **headers: str) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=JSON_MIME)
    response.headers.update(headers)
    return response


def _base_url() -> str:
    return settings().public_base_url + bp.url_prefix


def _actor() -> str:
    cfg = settings()
    name = token_name(request, cfg) if cfg.fhir_api_tokens else None
    if name is None:
        message = (
            "a valid bearer token is required"
            if cfg.fhir_api_tokens
            else "the FHIR API is not enabled (FHIR_API_TOKENS)"
        )
        raise _Unauthorized(message)
    return f"fhir:{name}"


class _Unauthorized(FhirError):
    status = 401
    code = "login"


@bp.errorhandler(FhirError)
def _fhir_error(exc: FhirError) -> Response:
    headers = {"WWW-Authenticate": 'Bearer realm="fhir"'} if exc.status == 401 else {}
    return _answer(exc.outcome(), exc.status, **headers)


@bp.errorhandler(NoPractice)
def _no_practice(_exc: NoPractice) -> Response:
    return _answer(operation_outcome([Issue("no practice is configured", "not-found")]), 404)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    issue = Issue(exc.description or exc.name, "processing")
    return _answer(operation_outcome([issue]), exc.code or 500)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    log_unexpected(log, exc, "FHIR request failed")
    return _answer(operation_outcome([Issue("internal error", "exception")]), 500)


@bp.get("/metadata")
def metadata() -> Response:
    return _answer(capability.capability_statement(_base_url()))


@bp.get("/<resource_type>/<resource_id>")
def read(resource_type: str, resource_id: str) -> Response:
    actor = _actor()
    with UnitOfWork(settings().database_url) as uow:
        practice = practice_for_number(uow.session, None)
        resource = server.read(uow.session, practice.id, resource_type, resource_id, actor=actor)
        uow.commit()  # the audit events
    return _answer(resource)


@bp.get("/<resource_type>")
def search(resource_type: str) -> Response:
    actor = _actor()
    with UnitOfWork(settings().database_url) as uow:
        practice = practice_for_number(uow.session, None)
        bundle = server.search(
            uow.session,
            practice.id,
            resource_type,
            list(request.args.items(multi=True)),
            actor=actor,
            base_url=_base_url(),
        )
        uow.commit()
    return _answer(bundle)


@bp.post("")
@bp.post("/")
def transaction() -> Response:
    actor = _actor()
    body = request.get_json(force=True, silent=True)
    if body is None:
        raise BadRequest("the body must be a JSON FHIR Bundle")
    with UnitOfWork(settings().database_url) as uow:
        practice = practice_for_number(uow.session, None)
        result = importer.import_transaction_bundle(uow.session, practice.id, body, actor=actor)
        uow.commit()
    log.info("FHIR transaction imported %d entries", len(result.entries))
    return _answer(result.bundle())
