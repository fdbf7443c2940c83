"""Views of the councils app."""
