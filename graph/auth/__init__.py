"""Who may do what: API tokens, their roles and the principals they stand for."""

__all__ = ["tokens"]
