"""Patient portal at /portal: sign in by text code (or a signed link from a reminder), chat
with the same assistant through this app, and manage upcoming visits.

Views are thin: rules and audited data access live in `assistant.portal`; cancelling and
rescheduling use the dialogue's services (`assistant.frontdesk.service`).
"""

from __future__ import annotations

from webhooks.portal import appointments as _appointments  # noqa: F401  (registers routes)
from webhooks.portal import chat as _chat  # noqa: F401  (registers routes)
from webhooks.portal.views import bp

__all__ = ["bp"]
