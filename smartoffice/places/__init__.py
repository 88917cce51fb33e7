"""Places: sites, buildings, floors, zones and the spaces people book (desks and meeting rooms)."""
