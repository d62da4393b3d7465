"""Publishing use cases: writing and moving publications (members and maintainers), reading them
(viewers; anyone, for a project that publishes publicly), and counting readers' engagement."""
