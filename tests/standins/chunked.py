"""A client that streams a large chunked body and stops as soon as the server answers.

An ordinary HTTP client writes the whole body before it reads a response; this one looks for the
answer between chunks, so it tells how much a server read before refusing (tests and bench/).
"""

from __future__ import annotations

import select
import socket
from dataclasses import dataclass

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Outcome:
    status: int  # 0: the connection closed without an answer
    sent: int  # body bytes written before the answer (or the close)


def post_chunked(
    host: str, port: int, path: str, total: int, headers: dict[str, str] | None = None
) -> Outcome:
    """POST ``total`` bytes of body with Transfer-Encoding: chunked, without a Content-Length."""
    head = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Transfer-Encoding: chunked"]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    chunk = b"a" * CHUNK
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    sent = 0
    answer = b""
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        try:
            while sent < total:
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:
                    break  # the server has answered (or closed): stop sending
                sock.sendall(framed)
                sent += len(chunk)
            else:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server closed while we were writing; its answer may still be readable
        try:
            while b"\r\n" not in answer:
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
        except OSError:
            pass
    status_line = answer.split(b"\r\n", 1)[0].split()
    status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else 0
    return Outcome(status, sent)
