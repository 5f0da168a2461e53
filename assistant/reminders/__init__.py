"""Reminder campaigns and the replies to them."""
