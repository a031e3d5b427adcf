"""Storage errors that carry a sentence a worker can act on."""


class StorageError(RuntimeError):
    """A problem with the database file; str() is a sentence for the user."""


class DatabaseInUseError(StorageError):
    pass


class DatabaseDamagedError(StorageError):
    pass


class NotFoundError(StorageError):
    pass
