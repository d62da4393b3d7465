"""The work context: correlation ids and log fields always, OpenTelemetry traces when configured."""
