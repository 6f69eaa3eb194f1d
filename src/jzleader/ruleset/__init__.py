"""The rule files: models (models.py), loading (load.py), the loaded set (core.py), consistency
checks (checks.py), and the vocabularies built from them (titles.py, units.py)."""
