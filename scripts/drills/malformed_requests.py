#!/usr/bin/python3
"""Asks the public entry what once held a connection open with no answer: a garbage request line,
`Content-Length: -1`, and a request whose headers never end. Each must be answered (400, 400, 408),
promptly or at the entry's 10 s limit, never left hanging.

  malformed_requests.py HOST [PORT]
"""
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 80
cases = [
    (b"GARBAGE LINE\r\n\r\n", b"400"),
    (b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}", b"400"),
    (b"GET /api/health HTTP/1.1\r\nHost: x\r\n", b"408"),
]
failed = False
for payload, expected in cases:
    connection = socket.create_connection((host, port))
    connection.settimeout(15)
    started = time.monotonic()
    connection.sendall(payload)
    try:
        answer = connection.recv(200).split(b"\r\n")[0]
    except socket.timeout:
        answer = b"(no answer in 15 s)"
    ok = answer.split(b" ")[1:2] == [expected]
    failed |= not ok
    print("drill: %-45r -> %-28r after %5.2f s %s" % (payload[:45], answer.decode(errors="replace"), time.monotonic() - started, "" if ok else "(FAILED)"))
sys.exit(1 if failed else 0)
