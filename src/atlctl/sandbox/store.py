"""SQLite persistence for `atlctl sandbox --state FILE`.

The products and realms keep their state in memory (reads never touch the database); every change
is written through here as one JSON record, and attachment bodies as blobs, under the product's
key or the realm's name. Without a state file
the store keeps nothing and the sandbox forgets everything when it stops.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    product TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (product, kind, key)
);
CREATE TABLE IF NOT EXISTS blobs (
    product TEXT NOT NULL, key TEXT NOT NULL, content BLOB NOT NULL,
    PRIMARY KEY (product, key)
);
"""


class StoreError(Exception):
    """The state file cannot be used; the message is one line for the user."""


class Store:
    def __init__(self, path: str | None = None):
        self.path = path
        self._db: sqlite3.Connection | None = None
        # The app is built in one thread and served from another (SandboxServer).
        self._lock = threading.Lock()
        if path is None:
            return
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + _SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot use state file {path}: {exc}") from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def load(self, product: str) -> dict[str, dict[str, Any]]:
        """All records of a product as {kind: {key: data}}; empty without a state file."""
        out: dict[str, dict[str, Any]] = {}
        if self._db is None:
            return out
        with self._lock:
            rows = self._db.execute("SELECT kind, key, data FROM records WHERE product = ?", (product,)).fetchall()
        for kind, key, data in rows:
            out.setdefault(kind, {})[key] = json.loads(data)
        return out

    def load_blobs(self, product: str) -> dict[str, bytes]:
        if self._db is None:
            return {}
        with self._lock:
            rows = self._db.execute("SELECT key, content FROM blobs WHERE product = ?", (product,)).fetchall()
        return {key: bytes(content) for key, content in rows}

    def put(self, product: str, kind: str, key: str | int, data: dict[str, Any]) -> None:
        self._write(
            "INSERT OR REPLACE INTO records (product, kind, key, data) VALUES (?, ?, ?, ?)",
            (product, kind, str(key), json.dumps(data, separators=(",", ":"))),
        )

    def delete(self, product: str, kind: str, key: str | int) -> None:
        self._write("DELETE FROM records WHERE product = ? AND kind = ? AND key = ?", (product, kind, str(key)))

    def put_blob(self, product: str, key: str | int, content: bytes) -> None:
        self._write("INSERT OR REPLACE INTO blobs (product, key, content) VALUES (?, ?, ?)", (product, str(key), content))

    def delete_blob(self, product: str, key: str | int) -> None:
        self._write("DELETE FROM blobs WHERE product = ? AND key = ?", (product, str(key)))

    def clear(self) -> None:
        """Empty the state file (POST /_sandbox/reset)."""
        with self._lock:
            if self._db is not None:
                self._db.execute("BEGIN")
                self._db.execute("DELETE FROM records")
                self._db.execute("DELETE FROM blobs")
                self._db.execute("COMMIT")

    def _write(self, sql: str, args: tuple) -> None:
        if self._db is None:
            return
        with self._lock:
            self._db.execute(sql, args)


class Sequences:
    """Persisted id counters: like a database's sequences, ids are never handed out twice."""

    def __init__(self, store: Store, product: str, saved: dict[str, Any]):
        self._store = store
        self._product = product
        self._values = {name: data["value"] for name, data in saved.items()}

    def next(self, name: str, first: int) -> int:
        value = self._values.get(name, first - 1) + 1
        self._values[name] = value
        self._store.put(self._product, "sequence", name, {"value": value})
        return value
