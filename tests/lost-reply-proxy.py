#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A TCP proxy in front of a real mariadbd that loses one answer, as a connection lost at the
# worst moment does: the server has run (and committed) a statement, the client never hears
# so. It forwards everything both ways, and once, when the client sends the first statement
# matching the mode, it passes the statement on, swallows the server's answer and closes both
# sides; every later connection is forwarded untouched.
#   lost-reply-proxy.py LISTEN_PORT_FILE SERVER_PORT MODE
#   MODE insert: the first "INSERT INTO scans" (a scans row stored alone, in autocommit)
#   MODE commit: the first COMMIT after an "INSERT INTO scans" (a group's scans rows)
# It writes the port it listens on to LISTEN_PORT_FILE and "lost" to LISTEN_PORT_FILE.lost
# when it has lost the answer.
import os
import socket
import sys
import threading

port_file, server_port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
state = {"armed": True, "seen_insert": False}
lock = threading.Lock()


def matches(chunk):
    # a COM_QUERY packet: 3 bytes of length, a sequence number, 0x03, the statement
    if b"INSERT INTO scans" in chunk:
        state["seen_insert"] = True
        return mode == "insert"
    return mode == "commit" and state["seen_insert"] and b"\x03COMMIT" in chunk


def pipe(conn):
    client, server = conn["client"], conn["server"]

    def upstream():
        try:
            while True:
                chunk = client.recv(65536)
                if not chunk:
                    break
                with lock:
                    if state["armed"] and matches(chunk):
                        state["armed"] = False
                        conn["drop"] = True
                server.sendall(chunk)
        except OSError:
            pass
        finally:
            close(conn)

    def downstream():
        try:
            while True:
                chunk = server.recv(65536)
                if not chunk:
                    break
                if conn.get("drop"):
                    with open(port_file + ".lost", "w") as f:
                        f.write("lost\n")
                    break
                client.sendall(chunk)
        except OSError:
            pass
        finally:
            close(conn)

    threading.Thread(target=upstream, daemon=True).start()
    threading.Thread(target=downstream, daemon=True).start()


def close(conn):
    for s in (conn["client"], conn["server"]):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(16)
with open(port_file + ".tmp", "w") as f:
    f.write("%d\n" % listener.getsockname()[1])
os.rename(port_file + ".tmp", port_file)
while True:
    c, _ = listener.accept()
    s = socket.create_connection(("127.0.0.1", server_port))
    pipe({"client": c, "server": s})
