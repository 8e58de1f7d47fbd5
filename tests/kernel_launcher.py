"""The launcher of a kernel or a script forked by the kernel zygote (tests/kernel_zygote.py):
the process jupyter_client (or a test) starts, ``python -S kernel_launcher.py launch
PID:SOCKET -f CONNECTION_FILE`` (:func:`kernel_zygote.launcher_argv`) or ``... run
PID:SOCKET SCRIPT ARGS`` (:func:`kernel_zygote.script_argv`). It hands its folder,
environment and standard streams to the zygote, forwards the signals it is sent to the
fork, and ends when the fork ends, as the fork ended (:func:`launch`).

A make test starts ~45 of them (nbval's kernels, the builds' kernels, the forked commands
and scripts), so it starts as a bare interpreter does: it imports only modules built into
the interpreter or written in C, ``_socket`` and ``_signal`` rather than ``socket`` and
``signal`` (their Python parts build enums), ``marshal`` rather than ``json`` (with ``re``),
no ``threading`` or ``contextlib``: ~9 ms of CPU a start, not the ~27 ms of the launcher
that was part of kernel_zygote.py (those imports, and the compilation of that 500-line
file, which a script run as ``__main__`` pays at each start). Nothing else here differs
from what it did. The request is sent with ``marshal`` over the zygote's socket, in a
folder only this user can open (``tempfile.mkdtemp``), by this interpreter to itself."""

import _signal as signal  # the C module behind `signal`: the same functions and numbers
import _socket  # the C module behind `socket`: the same socket
import marshal
import os
import select
import sys
import time

#: How long a launcher waits for the zygote's socket (the zygote's imports, on a busy
#: machine), and a test for the zygote to listen (:func:`kernel_zygote.session_zygote`).
START_TIMEOUT = 60
#: The signals a launcher forwards to its fork (jupyter_client's interrupt and terminate,
#: a user's Ctrl-C, a hang-up, ...).
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1,
             signal.SIGUSR2)


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (an ended child not yet reaped, a zombie, does not:
    ``os.kill(pid, 0)`` succeeds on it)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def _connect(zygote: str, path: str) -> "_socket.socket | None":
    """A connection to the zygote's socket at ``path`` once it listens (it may still be
    importing); None, said on stderr, if it has ended or does not listen in time."""
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            conn.connect(path)
            return conn
        except (FileNotFoundError, ConnectionRefusedError):
            if not alive(int(zygote)):
                print(f"kernel_zygote: the zygote (pid {zygote}) has ended", file=sys.stderr)
            elif time.monotonic() > deadline:
                print(f"kernel_zygote: no zygote at {path} after {START_TIMEOUT} s",
                      file=sys.stderr)
            else:
                time.sleep(0.05)
                continue
            conn.close()
            return None


def _ask(conn: "_socket.socket", request: dict, fds: list[int]) -> int:
    """Send ``request`` and the file descriptors ``fds`` (SCM_RIGHTS, as
    ``socket.send_fds`` sends them: C ints), then read the fork's pid."""
    data = marshal.dumps(request)
    rights = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in fds)
    sent = conn.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
    conn.sendall(data[sent:])
    conn.shutdown(_socket.SHUT_WR)
    answer = b""
    while not answer.endswith(b"\n"):
        chunk = conn.recv(64)
        if not chunk:
            break
        answer += chunk
    conn.close()
    return int(answer)


def launch(where: str, argv: list[str], script: str = "") -> int:
    """The launcher jupyter_client starts: a kernel forked by the zygote at ``where``
    (``PID:SOCKET``) with this process's folder, environment and streams; signals
    forwarded; ends with it. With ``script``: ``python SCRIPT ARGV`` forked instead
    (:func:`kernel_zygote.script_argv`), whose exit status this process exits with; killed
    by a signal, this process kills itself with it (1 if the zygote could not say)."""
    zygote, path = where.split(":", 1)
    # signals forwarded from the start: one that comes before the fork exists is held and
    # sent to it once it does (a Ctrl-C of a command at its very start, a SIGTERM of a
    # kernel that is starting), not a KeyboardInterrupt's traceback of this process
    forked: list[int] = []
    held: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        if not forked:
            held.append(signum)
            return
        try:
            os.kill(forked[0], signum)
        except ProcessLookupError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    conn = _connect(zygote, path)
    if conn is None:
        return 1
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ),
               "launcher": os.getpid(), "script": script}
    status, status_w = os.pipe() if script else (-1, -1)
    pid = _ask(conn, request, [0, 1, 2, status_w] if script else [0, 1, 2])
    if script:
        os.close(status_w)
    forked.append(pid)
    for signum in held:
        forward(signum, None)
    if not script:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            return 1
        select.select([fd], [], [])
        return 0
    # a script's end is the status the zygote writes once it has reaped it (not a pidfd:
    # a script can end and be reaped before this opens one, and it then said 1)
    told = b""
    while chunk := os.read(status, 64):
        told += chunk
    code = int(told) if told.strip() else 1
    if code < 0:  # killed: end as it did, so that its starter sees the signal
        try:
            signal.signal(-code, signal.SIG_DFL)
        except (OSError, ValueError):  # (SIGKILL has no handler)
            pass
        os.kill(os.getpid(), -code)
    return code


if __name__ == "__main__":
    if sys.argv[1] == "run":
        sys.exit(launch(sys.argv[2], sys.argv[4:], script=sys.argv[3]))
    sys.exit(launch(sys.argv[2], sys.argv[3:]))
