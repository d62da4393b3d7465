"""Metrics: what the operator counts, fed by the domain events so each change is counted once."""
