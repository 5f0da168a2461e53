"""The spool: Twilio requests that arrived while the database was down, kept on local disk
until the database is back, then replayed into what the normal path would have made.

Twilio does not retry a webhook that answered 200, so without this an inbound text, a
voicemail's recording or a status callback received during a database outage would be lost.
`store` writes one JSON file per request (atomically, mode 0600, in a 0700 directory: it holds
patients' words), keyed by Twilio's sids so that a retried request is kept once; `replay` turns
each into the stored turn, staff task or status change, once (idempotency keys in the
database), and deletes the file. The reminder worker's tick (embedded or Celery) replays; so
do `assistant spool-replay` and, for counts only, `assistant spool-status`.
"""

from assistant.spool.store import (
    NotSpoolable,
    Spool,
    SpoolItem,
    SpoolStats,
    keep_sms,
    keep_status,
    keep_voicemail,
)

__all__ = [
    "NotSpoolable",
    "Spool",
    "SpoolItem",
    "SpoolStats",
    "keep_sms",
    "keep_status",
    "keep_voicemail",
]
