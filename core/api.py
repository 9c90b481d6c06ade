"""The answer bodies every part of the integration API refuses with (marketplace/api.py)."""

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="字段 → 中文错误信息")
