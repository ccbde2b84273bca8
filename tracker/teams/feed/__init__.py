"""The team feed: recognition, announcements and shared findings with short discussions."""
