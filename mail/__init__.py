"""Mail over SMTP, shared by the weekly digest and the journal's drafts: the `[smtp]` settings of config.toml, the
password from the environment only, and sending one message."""
