"""Conversations with patients: sessions per channel, their turns, outcome and summary."""
