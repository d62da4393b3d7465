"""Publishing: a project's publications, their review and publication, and how readers engage with them."""
