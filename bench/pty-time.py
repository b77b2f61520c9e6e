# Times a command in a fresh pseudo-terminal (40x120): from fork until `marker` appears in its
# output, or until it exits when no marker is given. Prints milliseconds. Used by bench/console.mjs.
import fcntl, os, pty, select, signal, struct, sys, termios, time

marker = sys.argv[1].encode() if sys.argv[1] else None
argv = sys.argv[2:]
start = time.perf_counter()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
seen = b''
elapsed = None
deadline = start + 20
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
        if marker and marker in seen:
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
