"""The worker: periodic jobs declared as data, run by exactly one active process."""
