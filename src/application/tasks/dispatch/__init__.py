"""Handing recorded work to the broker: the job relay, and sending again what the broker lost."""
