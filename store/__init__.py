"""The case store: typed models, engine set-up, unit of work and queries."""
