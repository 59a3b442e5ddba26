"""Tax and accounting exports from the warehouse: Koinly, CoinTracker, generic CSV, Beancount."""
