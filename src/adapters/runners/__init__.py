"""AI gateways: the agents a task can run on."""
