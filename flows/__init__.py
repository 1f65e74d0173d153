"""The Prefect flows: the nightly run and the weekly digest as recipes of thin tasks over the other packages, and
their deployments on a schedule."""
