"""The demo network's generators (all synthetic, calibrated to public figures) and the
``demo`` command that loads them."""
