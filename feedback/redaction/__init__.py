"""Finders for identifying details in free text, used by feedback.anonymise.redact."""
