"""Importing organisations, units and people from a SIASN-shaped file: plan (compare), apply (write), service."""
