"""What start-up and /healthz say when the database cannot be used."""


class DatabaseFault(Exception):
    """The database cannot be used as it is; the service will not start."""


class DatabaseDamaged(DatabaseFault):
    def __init__(self, path):
        super().__init__(f"the database file {path} is damaged;"
                         " restore it from a backup, see README")


class DatabaseUnavailable(DatabaseFault):
    def __init__(self, path):
        super().__init__(f"the database file {path} cannot be opened or written; check that"
                         " it exists, the service may read and write it, and the disk has space")


class ServerUnavailable(DatabaseFault):
    def __init__(self, address, error):
        super().__init__(f"the database server at {address} cannot be used ({error});"
                         " check DATABASE_URL and that the server is running")
