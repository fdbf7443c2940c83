"""Views of the coordinators app."""
