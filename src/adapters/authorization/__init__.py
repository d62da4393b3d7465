"""Access policies behind the AccessPolicy port."""
