"""SMART goals with progress check-ins."""
