#!/usr/bin/env python3
"""midpath conformance lab: one real Linux TCP endpoint (client or server).

Run inside a lab network namespace with one JSON argument:
  role        "client" | "server"
  host, port  the server's address (the client connects to it, the server binds it)
  (t0, the wall-clock epoch second the schedule is relative to, is read
   from stdin after the helper printed {"ev": "ready"})
  horizon     seconds after t0 at which the helper stops (bounded: it always ends)
  keepalive   null | {"idle": s, "interval": s, "probes": n}  (SO_KEEPALIVE, TCP_KEEPIDLE/INTVL/CNT)
  idleClose   null | seconds without application data before the app closes (shutdown(SHUT_WR))
  closeOnPeerFin  true: the app closes as soon as it reads the peer's FIN
  userTimeout null | seconds (TCP_USER_TIMEOUT)
  actions     client only: [{"t": s, "action": "connect"|"send"|"close"}]

It never close()s the socket before the end (it shuts down its sending side
instead), so the kernel keeps reporting the connection's state and its error
(TCP_INFO, SO_ERROR) instead of orphaning it. It prints one JSON object per
line: {"t": seconds since t0, "ev": ...}.
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
# t0 comes on stdin once the lab has seen both helpers ready (and the server listening).
t0 = time.time() + 3600.0
horizon = float(cfg["horizon"])


def await_go():
    global t0
    print(json.dumps({"ev": "ready", "t": 0}), flush=True)
    line = sys.stdin.readline()
    t0 = float(line.strip())


def now():
    return time.time() - t0


def out(ev, **kw):
    kw.update({"t": round(now(), 4), "ev": ev})
    sys.stdout.write(json.dumps(kw) + "\n")
    sys.stdout.flush()


def tcp_info(s):
    """(state name, retransmits, probes, backoff) from struct tcp_info."""
    raw = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    st, _ca, retrans, probes, backoff = struct.unpack("BBBBB", raw[:5])
    return TCP_STATES.get(st, str(st)), retrans, probes, backoff


def configure(s):
    ka = cfg.get("keepalive")
    if ka:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, int(ka["idle"]))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, int(ka["interval"]))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, int(ka["probes"]))
    ut = cfg.get("userTimeout")
    if ut:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, int(round(ut * 1000)))


def wait_until(t):
    while now() < t:
        time.sleep(min(0.01, max(0.0, t - now())))


def errname(code):
    return errno.errorcode.get(code, str(code))


def serve_connection(s, actions):
    """Poll the connected socket every 10 ms until it ends or the horizon."""
    s.setblocking(False)
    last_app = now()
    shut = False
    last = None
    last_probes = 0
    last_retrans = 0
    pending = sorted(actions, key=lambda a: a["t"])
    idle_close = cfg.get("idleClose")
    eof = False
    while now() < horizon:
        # application actions due now
        while pending and pending[0]["t"] <= now():
            a = pending.pop(0)
            st = tcp_info(s)[0]
            if a["action"] == "send":
                if shut or st not in ("ESTABLISHED", "CLOSE_WAIT"):
                    out("send", ok=False, state=st)
                else:
                    try:
                        s.send(b"r" * 100)
                        last_app = now()
                        out("send", ok=True)
                    except OSError as e:
                        out("send", ok=False, errno=errname(e.errno))
            elif a["action"] == "close":
                if shut or st not in ("ESTABLISHED", "CLOSE_WAIT"):
                    out("app-close", ok=False, state=st)
                else:
                    s.shutdown(socket.SHUT_WR)
                    shut = True
                    out("app-close", ok=True)
        if idle_close is not None and not shut and now() - last_app >= idle_close:
            st = tcp_info(s)[0]
            if st in ("ESTABLISHED", "CLOSE_WAIT"):
                s.shutdown(socket.SHUT_WR)
                shut = True
                out("idle-close")
        r, _, _ = select.select([] if eof else [s], [], [], 0.01)
        if r:
            try:
                data = s.recv(65536)
                if data:
                    last_app = now()
                    out("recv", bytes=len(data))
                else:
                    eof = True
                    out("eof")
                    if cfg.get("closeOnPeerFin", True) and not shut:
                        s.shutdown(socket.SHUT_WR)
                        shut = True
                        out("peer-fin-close")
            except BlockingIOError:
                pass
            except OSError as e:
                info = tcp_info(s)
                out("error", errno=errname(e.errno), state=info[0], probes=last_probes, retransmits=last_retrans)
                return
        info = tcp_info(s)
        if info[0] != last:
            out("state", state=info[0], retransmits=info[1], probes=info[2])
            last = info[0]
        if info[2] > 0 or info[1] > 0 or info[0] != "CLOSE":
            last_probes, last_retrans = info[2], info[1]
        if info[0] == "CLOSE":
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                out("error", errno=errname(err), state="CLOSE", probes=last_probes, retransmits=last_retrans)
            else:
                out("closed")
            return
    out("horizon", state=tcp_info(s)[0])
    # Keep the socket open a little past the horizon, so ending this helper
    # does not close the connection while the peer is still observing it.
    time.sleep(1.5)


def main():
    role = cfg["role"]
    addr = (cfg["host"], int(cfg["port"]))
    if role == "server":
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        configure(ls)
        ls.bind(addr)
        ls.listen(1)
        await_go()
        out("listening")
        ls.settimeout(0.05)
        conn = None
        while conn is None and now() < horizon:
            try:
                conn, _ = ls.accept()
            except socket.timeout:
                pass
        if conn is None:
            out("horizon", state="LISTEN")
            return
        configure(conn)
        out("accepted")
        serve_connection(conn, [])
    else:
        actions = cfg.get("actions", [])
        connect = [a for a in actions if a["action"] == "connect"]
        rest = [a for a in actions if a["action"] != "connect"]
        await_go()
        if not connect:
            out("horizon", state="CLOSED")
            return
        wait_until(connect[0]["t"])
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        configure(s)
        s.settimeout(5)
        try:
            s.connect(addr)
        except OSError as e:
            out("error", errno=errname(e.errno or errno.ETIMEDOUT), state="SYN_SENT", probes=0, retransmits=0)
            return
        out("connected")
        serve_connection(s, rest)


main()
