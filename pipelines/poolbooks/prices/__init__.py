"""Daily prices from a public source (Coinbase Exchange's candles), on the shared HTTP stack."""
