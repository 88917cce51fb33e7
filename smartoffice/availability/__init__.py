"""The availability index: a Redis projection of SQL bookings, per floor and local day, in 15-minute slots.

SQL is the truth; this index only makes "what is free on this floor on this day" one round trip, whatever the
number of bookings. It may be flushed or lost at any moment: a floor-day that is not in the index is *unknown*
(read from SQL and rebuilt), never "all free".
"""
