"""View plumbing shared by every app's pages."""

from __future__ import annotations

from csp.decorators import csp_update

# Vega compiles its expressions with Function(): chart pages allow eval for scripts,
# and nothing else is loosened.
vega_csp = csp_update({"script-src": ["'unsafe-eval'"]})
