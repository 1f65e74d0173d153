"""The local web app (`plenty ui`): server-rendered pages over the same warehouse the CLI uses."""
