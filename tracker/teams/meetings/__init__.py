"""Team meetings (agenda, decisions, action items carried over) and retrospectives."""
