"""The Indonesian working calendar: public holidays and cuti bersama (from ``holidays``) plus editable overrides."""
