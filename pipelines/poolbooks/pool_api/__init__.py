"""The BTC.com pool API v1: its endpoints, the parsers of their answers, paging, the client."""
