"""The complaint handling queue: intake, deadlines by severity, workflow, escalation."""
