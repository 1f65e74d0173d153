"""The weekly digest: choose the week's items (select), render them (render_markdown, render_html), mail them
(mail), and record what was delivered (run). The Prefect flow lives in `flows.weekly_digest`."""

from digest.run import DigestResult, digests_dir, run_digest

__all__ = ["DigestResult", "digests_dir", "run_digest"]
