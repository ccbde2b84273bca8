"""Partners: negotiation rounds, stages and agreements (services, queries, workflow)."""
