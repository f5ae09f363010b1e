"""clausexl: the facilitator's tool for social clauses (clauses sociales d'insertion)."""

__version__ = "0.1.0"
