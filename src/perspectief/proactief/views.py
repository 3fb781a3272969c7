"""Views: thin; logic in services.py and selectors.py."""
