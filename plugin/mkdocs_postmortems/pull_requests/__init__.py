"""Postmortems under review as pull requests: what changed against a git ref, the semantic diff, the PR comment."""
