"""A waitlist for full days: people wait for a desk on a floor or in a zone; a freed desk goes to the first."""
