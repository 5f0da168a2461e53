"""Appointment conversations with a verified patient: list, describe, cancel, find new times,
reschedule. Actions in `dialogues/actions` call the application services in `service`."""
