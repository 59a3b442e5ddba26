"""The warehouse: DuckDB SQL models from `sql/`, built in dependency order, then data tests."""
