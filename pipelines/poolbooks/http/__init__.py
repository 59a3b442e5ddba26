"""HTTP machinery shared by the pool API and Esplora clients: throttling, retries, deadlines."""
