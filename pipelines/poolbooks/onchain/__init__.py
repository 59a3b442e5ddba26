"""The Esplora client: what the chain says about a payout's transaction."""
