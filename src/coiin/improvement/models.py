"""Aims, driver diagrams, change packages, PDSA cycles and progress scores (being built)."""
