"""Migrations build the schema on an empty database of each kind and match the ORM."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect

from core.config import ROOT
from core.tables import Base


def _config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def test_upgrade_head_matches_the_orm(db_url: str) -> None:
    cfg = _config(db_url)
    command.upgrade(cfg, "head")
    command.check(cfg)  # raises if autogenerate would find any difference
    engine = create_engine(db_url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()
    command.downgrade(cfg, "base")
    engine = create_engine(db_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
