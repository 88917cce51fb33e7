"""The anchor-day planner: which weekdays each unit should meet in the office so that every tower fits."""
