#!/usr/bin/env python3
"""A loopback TCP relay that counts the connections it accepts (the benchmark's connection counter).

Usage: count_proxy.py LISTEN_PORT BACKEND_PORT COUNT_FILE. Writes the running count to COUNT_FILE after each accept.
"""
import socket
import sys
import threading


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main():
    listen_port, backend_port, count_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(128)
    open(count_file + ".ready", "w").close()
    count = 0
    while True:
        client, _ = server.accept()
        count += 1
        with open(count_file, "w") as f:
            f.write(str(count))
        try:
            backend = socket.create_connection(("127.0.0.1", backend_port), timeout=5)
            backend.settimeout(None)
        except OSError:
            client.close()
            continue
        threading.Thread(target=pipe, args=(client, backend), daemon=True).start()
        threading.Thread(target=pipe, args=(backend, client), daemon=True).start()


if __name__ == "__main__":
    main()
