"""Patient portal: sign-in by text code or signed link, sessions, appointments, chat records.

The web pages live in `webhooks/portal`; this package holds the rules (codes are 6 digits, valid
10 minutes, stored as keyed hashes; three wrong answers lock; sends and failures are limited per
number and per address) and the audited reads and changes of patient data.
"""
