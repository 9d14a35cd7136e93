#!/usr/bin/env python3
"""midpath conformance lab, NAT hop: one real Linux TCP endpoint (client or server).

Run inside a lab network namespace with one JSON argument:
  role        "client" | "server"
  host, port  the server's address (the client connects to it, the server binds it)
  horizon     seconds after t0 at which the helper stops (bounded: it always ends)
  keepalive   null | {"idle": s, "interval": s, "probes": n}
  actions     [{"t": s, "action": "connect" | "send" | "shutdown"}]  (connect: client only)

t0 (wall-clock epoch seconds) is read from stdin after {"ev": "ready"}. The socket
is never close()d before the end (shutdown(SHUT_WR) sends the FIN), so the kernel
keeps reporting its state and error. One JSON object per line: {"t", "ev", ...}.
"""
import errno
import json
import select
import socket
import struct
import sys
import time

TCP_STATES = {
    1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
    6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
}

cfg = json.loads(sys.argv[1])
horizon = float(cfg["horizon"])
t0 = time.time() + 3600.0


def now():
    return time.time() - t0


def out(ev, **kw):
    kw.update({"t": round(now(), 4), "ev": ev})
    sys.stdout.write(json.dumps(kw) + "\n")
    sys.stdout.flush()


def state(s):
    raw = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    return TCP_STATES.get(raw[0], str(raw[0]))


def configure(s):
    ka = cfg.get("keepalive")
    if ka:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, int(ka["idle"]))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, int(ka["interval"]))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, int(ka["probes"]))


def errname(code):
    return errno.errorcode.get(code, str(code))


def serve(s, actions):
    s.setblocking(False)
    pending = sorted(actions, key=lambda a: a["t"])
    last = None
    eof = False
    while now() < horizon:
        while pending and pending[0]["t"] <= now():
            a = pending.pop(0)
            st = state(s)
            try:
                if a["action"] == "send":
                    s.send(b"d" * 100)
                    out("send", ok=True, state=st)
                elif a["action"] == "shutdown":
                    s.shutdown(socket.SHUT_WR)
                    out("shutdown", ok=True, state=st)
            except OSError as e:
                out(a["action"], ok=False, state=st, errno=errname(e.errno))
        r, _, _ = select.select([] if eof else [s], [], [], 0.01)
        if r:
            try:
                data = s.recv(65536)
                if data:
                    out("recv", bytes=len(data))
                else:
                    eof = True
                    out("eof")
            except BlockingIOError:
                pass
            except OSError as e:
                out("error", errno=errname(e.errno), state=state(s))
                return
        st = state(s)
        if st != last:
            out("state", state=st)
            last = st
        if st == "CLOSE":
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            out("error" if err else "closed", errno=errname(err) if err else None)
            return
    out("horizon", state=state(s))
    time.sleep(2.0)


def main():
    global t0
    addr = (cfg["host"], int(cfg["port"]))
    actions = cfg.get("actions", [])
    if cfg["role"] == "server":
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        configure(ls)
        ls.bind(addr)
        ls.listen(4)
        print(json.dumps({"ev": "ready", "t": 0}), flush=True)
        t0 = float(sys.stdin.readline().strip())
        out("listening")
        ls.settimeout(0.05)
        conn = None
        while conn is None and now() < horizon:
            try:
                conn, peer = ls.accept()
            except socket.timeout:
                pass
        if conn is None:
            out("horizon", state="LISTEN")
            return
        configure(conn)
        out("accepted", peer="%s:%d" % peer)
        serve(conn, actions)
    else:
        print(json.dumps({"ev": "ready", "t": 0}), flush=True)
        t0 = float(sys.stdin.readline().strip())
        connect = [a for a in actions if a["action"] == "connect"]
        rest = [a for a in actions if a["action"] != "connect"]
        if not connect:
            out("horizon", state="CLOSED")
            return
        while now() < connect[0]["t"]:
            time.sleep(0.005)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        configure(s)
        s.settimeout(5)
        try:
            s.connect(addr)
        except OSError as e:
            out("error", errno=errname(e.errno or errno.ETIMEDOUT), state="SYN_SENT")
            return
        out("connected", local="%s:%d" % s.getsockname())
        serve(s, rest)


main()
