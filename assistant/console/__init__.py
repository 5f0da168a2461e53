"""Staff console services: sign-in, task queues, schedule, patient lookup, metrics.

Plain functions over a SQLAlchemy session (no Flask): the web views in `webhooks/console` stay
thin. Every read of patient data made here is recorded with `assistant.audit.record`.
"""
