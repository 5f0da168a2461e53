"""Demo data for trying the assistant without a practice-management system."""

from assistant.demo.seed import DemoPatient, DemoSummary, database_is_empty, seed_demo

__all__ = ["DemoPatient", "DemoSummary", "database_is_empty", "seed_demo"]
