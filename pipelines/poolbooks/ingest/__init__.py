"""Ingestion: pool API and Esplora -> lake (runs, full and incremental walks, on-chain
checks), and reparse: the archive read again by today's parser."""
