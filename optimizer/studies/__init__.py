"""Many scenarios: sweeps and their store, executors, the Pareto frontier."""
