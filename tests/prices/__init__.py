"""Tests of the price source: candles, overrides, the client and its bytes on the wire."""
