#!/usr/bin/env python3
"""Time from process start to the wizard's first complete frame, in a pty.

Usage: python3 .ci/firstframe.py BINARY [RUNS [ARGS...]]   (default ARGS: --sandbox)
The frame counts as complete when its last line (the key help, which ends
with ctrl+c) has been drawn.
Like a real terminal, the script answers the colour queries (OSC 10/11) and
the cursor position report (DSR) that the program sends at start.
"""
import os, pty, select, statistics, struct, sys, tempfile, time, fcntl, termios, signal

def once(binary):
    home = tempfile.mkdtemp()
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "LANG": "en_US.UTF-8", "TERM": "xterm-256color"}
        os.execve(binary, [binary] + (sys.argv[3:] or ["--sandbox"]), env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    buf = b""
    elapsed = None
    deadline = start + 10
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
            # Answer what a terminal would, once per query.
            while True:
                answered = False
                for query, reply in ((b"\x1b]11;?", b"\x1b]11;rgb:0000/0000/0000\x1b\\"),
                                     (b"\x1b]10;?", b"\x1b]10;rgb:ffff/ffff/ffff\x1b\\"),
                                     (b"\x1b[6n", b"\x1b[1;1R")):
                    i = buf.find(query)
                    if i >= 0:
                        os.write(fd, reply)
                        buf = buf[:i] + buf[i + len(query):]
                        answered = True
                if not answered:
                    break
            if b"ctrl+c" in buf:
                elapsed = time.monotonic() - start
                break
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed

def main():
    binary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    times = []
    for i in range(runs):
        t = once(binary)
        if t is None:
            sys.exit("no complete frame within 10 s")
        times.append(t * 1000)
        print(f"run {i+1}: {t*1000:.1f} ms")
    print(f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms over {runs} runs")

main()
