"""Capacity planning: how full the buildings are, day by day, for facilities managers."""
