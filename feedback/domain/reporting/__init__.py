"""What trainers are given: the figures with their certainty, comment themes, and
the export files (CSV and Excel)."""
