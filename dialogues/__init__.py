"""Rasa dialogues: domain (split by topic), rules and stories, custom actions."""
