"""The kernel-enforced walls around a worker (Linux), applied after NumPy is loaded.

Each layer is a function that returns whether it is on; `isolation()` says which were on for
this worker, and the worker sends it with its hello (the results JSON's `isolation` key and
one line of the report). Graded code can change any Python object in its process (the audit
hook included); it cannot undo these:

- `drop_uid`: when the grader is root, the worker becomes a uid of its own (60000 + a slot, one
  per concurrent worker of this grader, no /etc/passwd entry), with no groups. Fails closed:
  the worker refuses to serve rather than run graded code as root.
- `landlock`: the filesystem view: read-only on the Python installation, read-write on the
  scratch folder, nothing else (no /proc, no grader code, no solutions), no execute anywhere;
  from ABI 6 on, no signals to processes outside the worker's own domain.
- `new_cgroup` (grader side): each worker in a cgroup of its own, where the grader may create
  one; `cgroup.kill` ends everything in it, processes in new sessions included, before any
  result is written. Elsewhere the worker's session is killed.
- `seccomp`: a BPF filter (libseccomp) that answers EPERM to execve, new processes (threads are
  fine), signals to other processes, ptrace, sockets, mount/namespace/bpf calls, and mapping
  memory executable (no native code loaded after this point).
"""
from __future__ import annotations

import ctypes
import errno
import os
import sys
import threading

UID_BASE = 60000
_lock = threading.Lock()
_slots: set = set()
STATE: dict = {}


def allocate_uid() -> int:
    """A uid for one worker, distinct from every other live worker of this grader process."""
    with _lock:
        slot = next(i for i in range(1, 5000) if i not in _slots)
        _slots.add(slot)
    return UID_BASE + slot


def release_uid(uid) -> None:
    with _lock:
        _slots.discard(int(uid) - UID_BASE)


# Modules graded code may import: loaded while the worker still can read them (the Python
# installation may sit below a folder the worker's uid cannot enter, /root/.pyenv here).
PRELOAD = ("math", "cmath", "itertools", "functools", "collections", "random", "statistics",
           "numbers", "fractions", "decimal", "string", "re", "json", "copy", "operator", "heapq",
           "bisect", "dataclasses", "typing", "abc", "enum", "time", "datetime", "warnings",
           "numpy.linalg", "numpy.random", "numpy.fft", "scipy.special")


def preload():
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception:
            pass


def drop_uid(uid: int) -> bool:
    """setgroups([]), setgid, setuid to `uid`; True when the worker is no longer root."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    return os.getuid() == uid and os.geteuid() == uid and os.getegid() == uid


# -- Landlock ----------------------------------------------------------------------------
_NR = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}   # create_ruleset, add_rule, restrict_self
PR_SET_NO_NEW_PRIVS = 38
FS = {"EXECUTE": 1 << 0, "WRITE_FILE": 1 << 1, "READ_FILE": 1 << 2, "READ_DIR": 1 << 3,
      "REMOVE_DIR": 1 << 4, "REMOVE_FILE": 1 << 5, "MAKE_CHAR": 1 << 6, "MAKE_DIR": 1 << 7,
      "MAKE_REG": 1 << 8, "MAKE_SOCK": 1 << 9, "MAKE_FIFO": 1 << 10, "MAKE_BLOCK": 1 << 11,
      "MAKE_SYM": 1 << 12, "REFER": 1 << 13, "TRUNCATE": 1 << 14, "IOCTL_DEV": 1 << 15}
ABI_FS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1, 5: (1 << 16) - 1}
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 where there is none."""
    import platform
    if sys.platform != "linux" or platform.machine() not in _NR:
        return 0
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    v = libc.syscall(ctypes.c_long(_NR[platform.machine()][0]), None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(0, int(v))


def landlock(read_only, read_write) -> int:
    """Restrict this process (and any thread it starts) to reading `read_only` and reading and
    writing `read_write`; no execute right anywhere. Returns the ABI used, 0 if not on."""
    import platform
    abi = landlock_abi()
    if abi < 1:
        return 0
    nr_create, nr_add, nr_restrict = _NR[platform.machine()]
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    handled = ABI_FS[min(abi, 5)]
    attr = _RulesetAttr(handled, 0, (SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL) if abi >= 6 else 0)
    size = ctypes.sizeof(attr) if abi >= 6 else 8
    rfd = libc.syscall(ctypes.c_long(nr_create), ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if rfd < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    read = FS["READ_FILE"] | FS["READ_DIR"]
    write = handled & ~FS["EXECUTE"]
    try:
        for paths, rights in ((read_only, read), (read_write, write)):
            for p in paths:
                try:
                    fd = os.open(p, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    allowed = rights if os.path.isdir(p) else rights & (FS["READ_FILE"] | FS["WRITE_FILE"] | FS["TRUNCATE"])
                    rule = _PathBeneath(allowed & handled, fd)
                    if libc.syscall(ctypes.c_long(nr_add), ctypes.c_int(rfd), ctypes.c_int(1),
                                    ctypes.byref(rule), ctypes.c_uint32(0)) < 0:
                        raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {p}")
                finally:
                    os.close(fd)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS failed")
        if libc.syscall(ctypes.c_long(nr_restrict), ctypes.c_int(rfd), ctypes.c_uint32(0)) < 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(rfd)
    return abi


# -- seccomp (libseccomp) ------------------------------------------------------------------
SCMP_ACT_ALLOW = 0x7FFF0000
CLONE_THREAD = 0x00010000
PROT_EXEC = 0x4
SCMP_CMP_NE, SCMP_CMP_MASKED_EQ = 1, 7
DENY = ("execve", "execveat", "fork", "vfork", "tkill", "ptrace", "process_vm_readv", "process_vm_writev",
        "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "socket", "socketpair", "connect", "bind", "listen",
        "accept", "accept4", "mount", "umount2", "unshare", "setns", "bpf", "perf_event_open", "keyctl",
        "add_key", "request_key", "kexec_load", "init_module", "finit_module", "chroot", "pivot_root",
        "userfaultfd", "io_uring_setup", "memfd_create", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
        "process_madvise", "kcmp", "name_to_handle_at", "open_by_handle_at")


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64),
                ("datum_b", ctypes.c_uint64)]


def _libseccomp():
    for name in ("libseccomp.so.2", "libseccomp.so"):
        try:
            return ctypes.CDLL(name, use_errno=True)
        except OSError:
            pass
    return None


def seccomp(lib=None) -> bool:
    """Install the filter on every thread of this process. True when it is on."""
    lib = lib or _libseccomp()
    if lib is None:
        return False
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                           ctypes.POINTER(_ArgCmp)]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not ctx:
        return False
    eperm = 0x00050000 | errno.EPERM
    enosys = 0x00050000 | errno.ENOSYS

    def rule(action, syscall, *cmps):
        nr = lib.seccomp_syscall_resolve_name(syscall.encode())
        if nr < 0:        # not a syscall of this architecture (fork on aarch64)
            return
        arr = (_ArgCmp * max(1, len(cmps)))(*[_ArgCmp(*c) for c in cmps])
        rc = lib.seccomp_rule_add_array(ctx, action, nr, len(cmps), arr)
        if rc < 0:
            raise OSError(-rc, f"seccomp rule for {syscall} failed")

    me = os.getpid()
    lib.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]
    lib.seccomp_attr_set(ctx, 4, 1)        # SCMP_FLTATR_CTL_TSYNC: every thread of the process
    try:
        for s in DENY:
            rule(eperm, s)
        rule(enosys, "clone3")   # glibc then falls back to clone, where the flags can be checked
        rule(eperm, "clone", (0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0))       # a process, not a thread
        rule(eperm, "kill", (0, SCMP_CMP_NE, me, 0))
        rule(eperm, "tgkill", (0, SCMP_CMP_NE, me, 0))
        for s in ("mmap", "mprotect", "pkey_mprotect"):
            rule(eperm, s, (2, SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC))    # no new native code
        rc = lib.seccomp_load(ctx)         # sets PR_SET_NO_NEW_PRIVS itself
        if rc < 0:
            raise OSError(-rc, "seccomp_load failed")
    finally:
        lib.seccomp_release(ctx)
    return True


def seccomp_mode() -> int:
    """2 when a seccomp filter is on (prctl PR_GET_SECCOMP; /proc may be out of reach)."""
    return int(_libc().prctl(21, 0, 0, 0, 0))


def readable_roots(scratch: str) -> list:
    """What graded code may read: the Python installation (not the grader's own code)."""
    import site
    roots = [sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(), "/usr/share/zoneinfo",
             "/etc/localtime", "/dev/null", "/dev/urandom", "/dev/zero"]
    return sorted({os.path.realpath(p) for p in roots if p and os.path.exists(p)})


def enclose(limits: dict, scratch: str) -> dict:
    """Apply every layer the platform has, in order; return `isolation()`. Raises
    PermissionError when the grader is root and the worker could not stop being root."""
    preload()
    libseccomp = _libseccomp() if sys.platform == "linux" else None   # loaded before Landlock hides it
    if sys.platform == "linux":
        _libc().prctl          # resolved while the C library is readable (macOS and Windows have no prctl)
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    STATE.clear()
    STATE["landlock"] = False
    STATE["seccomp"] = False
    if sys.platform == "linux" and limits.get("landlock", True):
        try:   # before the uid drop: the rules are opened by path, some below /root
            abi = landlock(readable_roots(scratch), [os.path.realpath(scratch)])
            STATE["landlock"] = f"abi {abi}" if abi else False
        except OSError as e:
            STATE["landlock_error"] = str(e)[:200]
    if root and limits.get("drop_privileges", True):
        uid = int(limits.get("uid") or UID_BASE)
        try:
            ok = drop_uid(uid)
        except OSError as e:
            raise PermissionError(f"the worker could not drop root (setuid {uid}: {e}); "
                                  "graded code never runs as root") from None
        if not ok:
            raise PermissionError("the worker is still root after setuid: graded code never runs as root")
    STATE["uid"] = str(os.geteuid()) if hasattr(os, "geteuid") else "n/a"
    if root and not limits.get("drop_privileges", True):
        STATE["uid"] += " (root: drop_privileges is off)"
    if sys.platform == "linux" and limits.get("seccomp", True):
        try:
            STATE["seccomp"] = seccomp(libseccomp) and seccomp_mode() == 2
        except OSError as e:
            STATE["seccomp_error"] = str(e)[:200]
    STATE["session"] = hasattr(os, "setsid")
    return isolation()


def isolation() -> dict:
    """Which layers are on in this process (rlimits and the audit hook are set by the worker)."""
    return dict(STATE)


def describe(iso: dict | None) -> str:
    """One line for the report."""
    if not iso:
        return "Sandbox: unknown (no worker started)"
    parts = [f"uid {iso.get('uid')}", f"seccomp {'on' if iso.get('seccomp') else 'off'}",
             f"Landlock {iso['landlock'] if iso.get('landlock') else 'off'}",
             f"rlimits {'on' if iso.get('rlimits') else 'off'}",
             f"process tree killed by {iso.get('process_tree', 'session')}",
             f"audit hook {'on' if iso.get('audit_hook') else 'off'}"]
    return "Sandbox: " + ", ".join(parts)


# -- the worker's process tree (grader side) ----------------------------------------------
_cgroups = iter(range(1, 1 << 62))
_swept = False


def _cgroup_base() -> str | None:
    """This process's own cgroup in the cgroup2 hierarchy, where the hierarchy is mounted."""
    try:
        with open("/proc/self/mountinfo") as f:
            mounts = [line.split() for line in f]
        with open("/proc/self/cgroup") as f:
            own = next((line.strip()[3:] for line in f if line.startswith("0::")), None)
    except OSError:
        return None
    mount = next((m[4] for m in mounts if "-" in m and m[m.index("-") + 1] == "cgroup2"), None)
    if mount is None or own is None:
        return None
    base = os.path.join(mount, own.lstrip("/"))
    return base if os.path.isdir(base) else None


def new_cgroup() -> str | None:
    """A cgroup of its own for one worker (Linux, where the grader may create one: root, or a
    delegated subtree); None elsewhere, and the worker's session is what gets killed."""
    if sys.platform != "linux":
        return None
    base = _cgroup_base()
    if base is None:
        return None
    _sweep(base)
    path = os.path.join(base, f"nngrade-{os.getpid()}-{next(_cgroups)}")
    try:
        os.mkdir(path)
    except OSError:
        return None
    if not os.path.exists(os.path.join(path, "cgroup.kill")):   # before Linux 5.14: no atomic kill
        os.rmdir(path)
        return None
    return path


def _sweep(base: str) -> None:
    """Once per grader: end and remove the cgroups a grader that was itself killed left behind."""
    global _swept
    if _swept:
        return
    _swept = True
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        pid = name.split("-")[1] if name.startswith("nngrade-") and name.count("-") == 2 else ""
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            kill_cgroup(os.path.join(base, name), seconds=0.5)


def process_tree(in_cgroup: bool) -> str:
    """What ends a worker and everything it started: its cgroup, else its session (POSIX), else
    the one process (Windows)."""
    if in_cgroup:
        return "cgroup"
    return "session" if hasattr(os, "killpg") else "process"


def join_cgroup(path: str, pid: int) -> bool:
    """Move `pid` (a worker that has not run graded code yet) into `path`; everything it starts
    from then on is born there and cannot leave (the worker's uid cannot write cgroup files)."""
    try:
        with open(os.path.join(path, "cgroup.procs"), "w") as f:
            f.write(str(pid))
        return True
    except OSError:
        return False


def kill_cgroup(path: str, seconds: float = 5.0) -> bool:
    """SIGKILL every process in `path` at once (cgroup.kill), wait until it is empty, remove it.
    True when nothing in it is left alive."""
    import time
    try:
        with open(os.path.join(path, "cgroup.kill"), "w") as f:
            f.write("1")
    except OSError:
        pass
    deadline = time.monotonic() + seconds
    empty = False
    while not empty and time.monotonic() < deadline:
        try:
            with open(os.path.join(path, "cgroup.events")) as f:
                empty = "populated 0" in f.read()
        except OSError:
            break
        if not empty:
            time.sleep(0.002)
    try:
        os.rmdir(path)
    except OSError:
        pass
    return empty
