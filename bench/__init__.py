"""Reference models of zcf's optimisation problem, for benchmarks: plain highspy and linopy."""
