"""A keep-alive HTTP/1.1 JSON client on asyncio, for benchmarks with many concurrent clients: a few µs
of CPU per call, where http.client on that many threads costs as much CPU as the server's own work."""

from __future__ import annotations

import asyncio
import json
from collections import Counter


class Connection:
    def __init__(self, port: int, statuses: Counter) -> None:
        self.port, self.statuses, self.reader, self.writer = port, statuses, None, None

    async def call(
        self, method: str, path: str, body: dict | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else b""
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        ).encode()
        for _attempt in range(3):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.writer.write(head + data)
                status = int((await self.reader.readline()).split()[1])
                length, close = 0, False
                while (line := await self.reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    name = name.strip().lower()
                    if name == "content-length":
                        length = int(value)
                    elif name == "connection" and value.strip().lower() == "close":
                        close = True
                payload = await self.reader.readexactly(length) if length else b""
                if close:
                    self.close()
                self.statuses[status] += 1
                try:
                    return status, (json.loads(payload) if payload else {})
                except ValueError:
                    return status, {}
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                self.close()
        self.statuses["connection error"] += 1
        return 0, {}

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None
