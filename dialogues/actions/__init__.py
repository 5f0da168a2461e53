"""Custom actions for the Rasa action server: thin adapters over `assistant` services.

Started with `rasa run actions --actions dialogues.actions`; every submodule is registered.
"""
