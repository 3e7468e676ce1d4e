"""Anonymity: free-text redaction, the generalisation of released attributes
(k-anonymity), and the rules for which figures may be disclosed."""
