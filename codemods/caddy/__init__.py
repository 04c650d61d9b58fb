"""Caddy codemods: Caddyfiles and their Helm templates."""

from codemods.caddy import add_route

CODEMODS = {
    "add_route": add_route,
}
