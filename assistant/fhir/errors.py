"""Errors of the FHIR interface: each knows its HTTP status and renders an OperationOutcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Issue:
    """One OperationOutcome issue; `expression` locates it, e.g. `Bundle.entry[2].resource`."""

    message: str
    code: str = "invalid"
    severity: str = "error"
    expression: str | None = None

    def as_dict(self) -> dict[str, Any]:
        issue: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "diagnostics": self.message,
        }
        if self.expression:
            issue["expression"] = [self.expression]
        return issue


def operation_outcome(issues: Sequence[Issue]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [issue.as_dict() for issue in issues]}


class FhirError(Exception):
    """A request the FHIR interface refuses; `status` is the HTTP status to answer with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, issues: Sequence[Issue] = ()) -> None:
        super().__init__(message)
        self.issues = list(issues) or [Issue(message, code=self.code)]

    def outcome(self) -> dict[str, Any]:
        return operation_outcome(self.issues)


class BadRequest(FhirError):
    """Malformed request: unknown search parameter, bad date, not a Bundle ..."""

    status = 400


class NotFound(FhirError):
    status = 404
    code = "not-found"


class Unprocessable(FhirError):
    """Well-formed but refused by FHIR or business rules (import problems, overlaps)."""

    status = 422
    code = "processing"
