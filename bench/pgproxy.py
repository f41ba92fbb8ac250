"""A TCP proxy in front of PostgreSQL that counts the statements its clients send.

Used only while probing (never under load): each implementation is started once against the
proxy, asked each query a few times, and the statements per request are read off the counter.
It counts what the server is asked to run, whatever the client library: a simple-protocol query
('Q', transaction control such as BEGIN/COMMIT/ROLLBACK not counted) and an extended-protocol
execute ('E'). It reads the wire protocol only to count; bytes pass unchanged. TLS is not
supported: a client's SSLRequest is passed on, and the server must decline it (``ssl = off``).
"""

from __future__ import annotations

import asyncio
import struct

KONTROL = (b"BEGIN", b"COMMIT", b"ROLLBACK", b"START TRANSACTION", b"END", b"SAVEPOINT", b"RELEASE", b"SET ",
           b"RESET", b"DISCARD", b"SELECT PG_ADVISORY_UNLOCK_ALL", b"CLOSE ALL", b"UNLISTEN")


class Taeller:
    def __init__(self) -> None:
        self.statements = 0

    def nulstil(self) -> None:
        self.statements = 0


def bag_proxy(url: str, proxy_port: int) -> tuple[tuple, str]:
    """(the server ``url`` points at, the same URL through a proxy on 127.0.0.1:``proxy_port``).
    The server is ("tcp", host, port) or ("unix", socket path) for ``?host=/socket/dir``."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    u = urlsplit(url)
    params = dict(parse_qsl(u.query))
    host = params.pop("host", None) or u.hostname or "/run/postgresql"
    port = int(params.pop("port", None) or u.port or 5432)
    target = ("unix", f"{host}/.s.PGSQL.{port}") if host.startswith("/") else ("tcp", host, port)
    bruger = u.username or "postgres"
    login = bruger + (f":{u.password}" if u.password else "")
    return target, urlunsplit((u.scheme, f"{login}@127.0.0.1:{proxy_port}", u.path, urlencode(params), ""))


class Proxy:
    def __init__(self, target: tuple) -> None:
        self.target = target
        self.taeller = Taeller()
        self.server: asyncio.AbstractServer | None = None
        self.port = 0
        self._forbindelser: set[asyncio.StreamWriter] = set()

    async def start(self, host: str = "127.0.0.1") -> int:
        self.server = await asyncio.start_server(self._klient, host, 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            for w in list(self._forbindelser):
                w.close()
            await self.server.wait_closed()

    async def _klient(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if self.target[0] == "unix":
                up_r, up_w = await asyncio.open_unix_connection(self.target[1])
            else:
                up_r, up_w = await asyncio.open_connection(self.target[1], self.target[2])
        except OSError:
            writer.close()
            return
        self._forbindelser.update((writer, up_w))
        try:
            await asyncio.gather(self._frontend(reader, up_w), self._pipe(up_r, writer), return_exceptions=True)
        except asyncio.CancelledError:
            pass
        finally:
            for w in (writer, up_w):
                self._forbindelser.discard(w)
                w.close()

    async def _pipe(self, reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        writer.close()

    async def _frontend(self, reader, writer) -> None:
        try:
            await self._laes_frontend(reader, writer)
        except (asyncio.IncompleteReadError, OSError, asyncio.CancelledError):
            pass
        writer.close()

    async def _laes_frontend(self, reader, writer) -> None:
        # Untyped start-up messages first (SSLRequest/GSSENCRequest, then StartupMessage).
        while True:
            head = await reader.readexactly(4)
            (n,) = struct.unpack("!I", head)
            body = await reader.readexactly(n - 4)
            writer.write(head + body)
            await writer.drain()
            (code,) = struct.unpack("!I", body[:4])
            if code not in (80877103, 80877104):  # not SSL/GSSENC request: it was the StartupMessage
                break
        while True:
            kind = await reader.readexactly(1)
            head = await reader.readexactly(4)
            (n,) = struct.unpack("!I", head)
            body = await reader.readexactly(n - 4)
            if kind == b"E":
                self.taeller.statements += 1
            elif kind == b"Q":
                sql = body.lstrip().upper()
                if not sql.startswith(KONTROL):
                    self.taeller.statements += 1
            writer.write(kind + head + body)
            await writer.drain()
