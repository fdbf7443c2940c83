"""Views of the needs_survey app."""
