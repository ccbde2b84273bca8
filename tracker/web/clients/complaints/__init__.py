"""The complaint queue, a complaint's page and its actions, and complaint metrics."""
