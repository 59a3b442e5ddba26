"""On-chain checks of payouts: Esplora -> lake, read back by the warehouse's payout_onchain."""
