"""Scheduling engine: availability, holds, booking, rescheduling, cancelling, waitlist."""
