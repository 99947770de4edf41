"""Who may do what: roles and principals (``principal``), API tokens (``tokens``)."""

__all__ = ["principal", "tokens"]
