"""The content security policy of pages that draw charts."""

from csp.decorators import csp_update

# Vega compiles its expressions with Function(): chart pages allow eval for scripts,
# and nothing else is loosened.
vega_csp = csp_update({"script-src": ["'unsafe-eval'"]})
