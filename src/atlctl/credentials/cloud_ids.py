"""The cloudIds of Atlassian Cloud sites, learnt from `SITE/_edge/tenant_info` once and kept in the
state directory (`cloud-ids.json`: site URL -> cloudId), so later invocations reach the gateway
without asking again. Not a secret: a cloudId is public. A profile's own `cloud-id` wins."""

from __future__ import annotations

import json
import os
import threading

from atlctl.environment import Environment
from atlctl.files import write_private

FILE = "cloud-ids.json"


class CloudIds:
    def __init__(self, env: Environment, known: dict[str, str] | None = None):
        self.path = os.path.join(env.state_dir, FILE)
        self.known = dict(known or {})  # a profile's cloud-id for its site
        self._lock = threading.Lock()

    def _read(self) -> dict:
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}  # none yet, or damaged: asked again and rewritten
        return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}

    def get(self, site: str) -> str | None:
        return self.known.get(site) or self._read().get(site)

    def put(self, site: str, cloud_id: str) -> None:
        with self._lock:
            data = self._read()
            if data.get(site) == cloud_id:
                return
            data[site] = cloud_id
            try:
                write_private(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")
            except OSError:
                pass  # only a cache: the next invocation asks tenant_info again
