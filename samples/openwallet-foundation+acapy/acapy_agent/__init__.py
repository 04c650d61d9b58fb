"""Miniature ACA-Py package."""
