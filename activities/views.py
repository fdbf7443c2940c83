"""Views of the activities app."""
