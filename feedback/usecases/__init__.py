"""The service's use cases: what an officer, a victim, a trainer or an admin can do.

Plain functions, one module per subject. Each takes what it works with as
arguments: the database connection, keys and settings, senders, and the time
(`now`). None imports Flask or reads the request: views, the CLI and the demo
parse input, call one use case, and turn its result or its exception into a
page, a message or an exit status. See "Layers" in docs/design.md.
"""
