"""What the factory is and what the world offers it: scenarios, time series, prices, assembly into inputs.

Nothing in this package knows Pyomo; `optimizer` builds on it, never the other way round.
"""
