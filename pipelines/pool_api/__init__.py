"""The BTC.com pool API v1: async client, typed records, paging, and a simulated pool."""
