"""`poolbooks report`: one self-contained HTML page of charts and tables from the warehouse."""
