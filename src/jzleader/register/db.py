"""Where the register is, opening it, and its migrations.

`--db` is a file path (SQLite) or any SQLAlchemy URL (postgresql+psycopg://…). An SQLite file keeps its key
beside it (register.sqlite3.key); a server database needs --key-file. SQLite writes take the database lock at
BEGIN (BEGIN IMMEDIATE), so that two `register add` at once wait for each other instead of failing half-way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from jzleader.errors import JzleaderError
from jzleader.register import keys

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_WAIT_SECONDS = 120  #: how long a writer waits for another one before giving up


def default_db() -> Path:
    """register.sqlite3 in the user's data folder (~/.local/share/jzleader, %LOCALAPPDATA%\\jzleader, …)."""
    import platformdirs

    return platformdirs.user_data_path("jzleader", appauthor=False) / "register.sqlite3"


@dataclass(frozen=True)
class Location:
    url: str
    key_path: Path
    file: Path | None  #: the SQLite file, None for a server database

    @property
    def shown(self) -> str:
        """The URL without its password, for messages."""
        return str(self.file) if self.file else make_url(self.url).render_as_string(hide_password=True)


def locate(db: str | None, key_file: Path | None) -> Location:
    if db and "://" in db:
        try:
            url = make_url(db)
        except ArgumentError as e:
            raise JzleaderError(f"{db}：不是有效的数据库地址（{e}）") from e
        if url.get_backend_name() == "sqlite" and url.database:
            file = Path(url.database).resolve()
            return Location(f"sqlite:///{file}", key_file or file.with_name(file.name + ".key"), file)
        if key_file is None:
            raise JzleaderError("服务器上的登记库须用 --key-file 指定密钥文件（register init 时生成，各单位共用同一个）")
        return Location(db, key_file, None)
    file = Path(db).resolve() if db else default_db()
    return Location(f"sqlite:///{file}", key_file or file.with_name(file.name + ".key"), file)


def engine_for(location: Location) -> Engine:
    if location.file is None:
        return create_engine(location.url, pool_pre_ping=True)
    engine = create_engine(location.url, connect_args={"timeout": SQLITE_WAIT_SECONDS})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver's own BEGIN off: ours, below, takes the lock
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _alembic(connection: Connection | None = None) -> Any:
    """Alembic's configuration without an alembic.ini: the migrations, and the connection to run them on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def head() -> str:
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(_alembic()).get_current_head())


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the database to `target` (every migration in one transaction)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic(connection), target)


@dataclass
class Register:
    engine: Engine
    secret: bytes
    location: Location

    def key(self, id_number: str | None) -> str | None:
        return keys.person_key(self.secret, id_number)

    def close(self) -> None:
        """Close the database connections (a command's last step; the process may go on, as in tests)."""
        self.engine.dispose()


@contextlib.contextmanager
def database_errors(location: Location) -> Iterator[None]:
    """A database that cannot be reached or read: one message naming it (exit 2), never a traceback."""
    try:
        yield
    except SQLAlchemyError as e:
        detail = str(getattr(e, "orig", None) or e).splitlines()[0]
        raise JzleaderError(f"{location.shown}：登记库无法使用（{detail}）") from e


def init(db: str | None, key_file: Path | None) -> tuple[Register, bool]:
    """Create the register (tables and secret); (register, True) when made now, False when it was there."""
    location = locate(db, key_file)
    made = not location.key_path.exists()
    if location.file is not None:
        location.file.parent.mkdir(parents=True, exist_ok=True)
    if made:
        keys.make_secret(location.key_path)
    engine = engine_for(location)
    try:
        with database_errors(location):
            upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Register(engine, keys.load_secret(location.key_path), location), made


def open_register(db: str | None, key_file: Path | None) -> Register:
    """An existing register, migrated to this tool's tables if it was made by an older one."""
    location = locate(db, key_file)
    if location.file is not None and not location.file.exists():
        raise JzleaderError(f"{location.file}：登记库不存在。请先运行 jzleader register init（或用 --db 指定登记库）")
    secret = keys.load_secret(location.key_path)
    engine = engine_for(location)
    try:
        with database_errors(location):
            with engine.connect() as connection:
                current = revision(connection)
            if current is None:
                raise JzleaderError(f"{location.shown}：还不是登记库。请先运行 jzleader register init")
            if current != head():
                upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Register(engine, secret, location)
