# Times a command in a fresh pseudo-terminal (40x120): from fork until every marker has appeared in
# its output, or until it exits when no marker is given. Prints milliseconds. Used by
# bench/console.mjs. Usage: pty-time.py MARKERS ARGV...  where MARKERS is a JSON list of strings
# (or one plain string; "" means "until exit").
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

raw = sys.argv[1]
try:
    markers = json.loads(raw) if raw.startswith('[') else ([raw] if raw else [])
except ValueError:
    markers = [raw]
markers = [m.encode() for m in markers if m]
argv = sys.argv[2:]
start = time.perf_counter()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
seen = b''
elapsed = None
deadline = start + 30
while time.perf_counter() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.05)
    if fd in ready:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b''
        if not chunk:
            elapsed = time.perf_counter() - start
            break
        seen += chunk
        if markers and all(m in seen for m in markers):
            elapsed = time.perf_counter() - start
            break
if elapsed is None:
    sys.stderr.write('timed out; last output: %r\n' % seen[-300:])
    sys.exit(1)
try:
    os.kill(pid, signal.SIGKILL)
except ProcessLookupError:
    pass
print('%.3f' % (elapsed * 1000))
