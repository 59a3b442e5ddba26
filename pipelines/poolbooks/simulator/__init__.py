"""The simulated BTC.com pool and its chain, served on loopback: it plays the pool, nothing else."""
