"""Clients for the live stack (browser, collectors, backends): plain I/O, no campaign logic."""
