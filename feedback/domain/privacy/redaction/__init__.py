"""Finders for identifying details in free text, used by
feedback.domain.privacy.anonymise.redact."""
