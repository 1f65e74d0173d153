"""The data home: where plenty keeps everything (`PLENTY_HOME`), its config.toml, and the lock of the nightly run."""
