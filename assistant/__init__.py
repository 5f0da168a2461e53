"""The domain core of the front-desk assistant.

Nothing in here imports `webhooks`, `dialogues` or `nlu`; those call into this package.
"""
