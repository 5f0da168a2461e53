"""Staff console: server-rendered pages at /console (queue, tasks, schedule, patients, metrics).

Views are thin: queries and rules live in `assistant.console`. Sessions are Flask's signed
cookies (HttpOnly, SameSite=Lax, Secure when the public URL is https, 30 minutes idle timeout);
every POST carries a CSRF token.
"""

from __future__ import annotations

from webhooks.console.views import bp

__all__ = ["bp"]
