"""The plenty subcommands, one module per command group."""
