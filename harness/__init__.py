"""What the tests and the benchmarks run the product against, all on one machine.

PostgreSQL, Redis and moto's S3 started as processes on loopback, a Dagster deployment on them
with a backfill to watch, a seeded synthetic lake, a free port and waiting for a server, and a
warehouse's tables as rows to compare. Not shipped: it imports `poolbooks`, and neither the
tests nor the benchmarks, which both import it.
"""
