"""HiGHS: the hand-off of a Pyomo model, relax and fix with branch and bound, re-solving in place."""
