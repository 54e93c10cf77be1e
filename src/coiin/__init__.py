"""The CoIIN platform: data, improvement method, community and dissemination for the
Collaborative Improvement and Innovation Network to reduce infant mortality."""

__version__ = "0.1.0"
