"""Machinery that checks the site's promise: every code block runs, every output is real."""
