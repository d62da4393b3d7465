"""Clock and identifiers from the operating system."""
