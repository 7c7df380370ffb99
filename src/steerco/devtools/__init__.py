"""Tools for development and CI, not imported by the application."""
