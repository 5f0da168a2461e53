"""Identity verification in a conversation: name and date of birth, never caller ID alone."""
