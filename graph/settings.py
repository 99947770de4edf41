"""One typed settings object, read from environment variables (prefix ``RELMAP_``)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable; the CLI, the API and the stores read only this."""

    model_config = SettingsConfigDict(env_prefix="RELMAP_", env_file=".env", extra="ignore")

    store: str = Field(
        default="sqlite:///relmap.db",
        description="sqlite:///PATH (embedded default) or bolt://HOST:PORT / neo4j://HOST:PORT "
        "/ neo4j+s://... (Aura)",
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("relmap-test-password")
    neo4j_database: str = "neo4j"
    write_batch_size: int = Field(default=5000, ge=1, le=100_000)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    auth_required: bool = Field(
        default=True, description="require a bearer token (or session cookie) on every call"
    )
    cors_origins: list[str] = Field(default_factory=list, description="closed by default")
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, ge=1)
    max_request_bytes: int = Field(default=2 * 1024 * 1024, ge=1)
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    policy_file: str | None = Field(default=None, description="YAML/JSON coverage policy")
    language: str = Field(
        default="en",
        pattern=r"^(en|zh-CN)$",
        description="interface language of the CLI and exports, and of pages whose browser asks "
        "for none we speak: en or zh-CN",
    )
    currency: str = Field(
        default="CNY", pattern=r"^[A-Z]{3}$", description="ISO 4217 code of every amount shown"
    )
    report_cache_entries: int = Field(
        default=2,
        ge=0,
        le=32,
        description="full coverage reports kept per API process, per graph version (0: none)",
    )


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (CLI flags) on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
