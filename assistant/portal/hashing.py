"""Keyed hashes: codes, link nonces, session tokens, phone numbers and addresses at rest."""

from __future__ import annotations

import hashlib
import hmac


def keyed(secret: str, purpose: str, value: str, length: int = 64) -> str:
    """HMAC-SHA256 of `value` under the app secret, separated by purpose (hex, truncated)."""
    digest = hmac.new(secret.encode(), f"{purpose}\x00{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:length]


def phone_key(secret: str, phone: str) -> str:
    return keyed(secret, "portal-phone", phone, 32)


def ip_key(secret: str, address: str | None) -> str:
    return keyed(secret, "portal-ip", address or "unknown", 32)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
