"""poolbooks: BTC.com mining pool account data, from API to lake to warehouse to books."""

__version__ = "0.1.0"
