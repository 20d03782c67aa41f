"""The model: one module per asset, the registry that orders them, building and updating the Pyomo model."""
