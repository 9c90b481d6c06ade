class ApiTokenNotFoundError(Exception):
    """The token does not exist or belongs to someone else."""
