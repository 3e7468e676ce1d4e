"""The domain: the service's rules as plain Python, with no web framework, no
database and no network. Links and their codes, surveys, published periods,
accounts and roles, the clock, sealing; privacy/ (what may be stored and shown) and
reporting/ (what trainers are given). Everything else may import these; these import
nothing from the other layers (tests/test_layers.py)."""
