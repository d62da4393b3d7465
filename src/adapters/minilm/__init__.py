"""all-MiniLM-L6-v2 run in-process with numpy (no torch, nothing downloaded)."""
