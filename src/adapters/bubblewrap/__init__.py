"""The bubblewrap sandbox for agent runs, with its egress proxy and limits."""
