"""The wire between the grader and the student's worker: a small, safe encoding.

Nothing on the grader's side ever unpickles or calls into an object made by student
code. The worker turns every value into plain data (None, bool, int, float, str, lists,
tuples, dicts with str keys, and numeric NumPy arrays as raw bytes); anything else is
described by its type name, its repr and, when it has one, its value as a float. The
grader decodes that description with a strict reader that checks every field.

A message is one frame: an 8-byte length, a JSON header, then the array buffers.
"""
from __future__ import annotations

import json
import os
import struct

import numpy as np

MAX_MESSAGE = 256 * 1024 * 1024
MAX_HEADER = 4 * 1024 * 1024    # the JSON part; array data travels beside it, as raw bytes
MAX_NODES = 500_000             # values in one message (a list of 90,000 floats is 180,000)
ARRAY_KINDS = "biufc"  # bool, signed int, unsigned int, float, complex
MAX_DEPTH = 32
# C0 and C1 control characters but newline and tab, DEL, and the bidirectional overrides:
# what could move a terminal's cursor, retitle it, or reorder what a reader sees
_CONTROL = dict.fromkeys([*range(0, 9), *range(11, 32), *range(127, 160),
                          *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def plain(x) -> bool:
    """Data that crosses the wire unchanged (no `Opaque` on the other side)."""
    if x is None or type(x) in (bool, int, float, str):
        return True
    if type(x) is np.ndarray or (isinstance(x, np.generic) and not isinstance(x, np.ndarray)):
        return x.dtype.kind in ARRAY_KINDS
    if type(x) in (list, tuple):
        return all(plain(v) for v in x)
    if type(x) is dict:
        return all(type(k) is str and plain(v) for k, v in x.items())
    return False


def printable(text) -> str:
    """`text` as a string without control characters (for text made by student code)."""
    return str(text).translate(_CONTROL)


class WireError(Exception):
    """A frame that cannot be read: the other side died or sent garbage."""


class Opaque:
    """Stands in, on the grader's side, for a student object that is not plain data."""

    def __init__(self, type_name: str, repr_text: str, as_float=None, ndarray_subclass=False):
        self.type_name = type_name
        self.repr_text = repr_text
        self.as_float = as_float
        self.ndarray_subclass = ndarray_subclass

    def __repr__(self):
        return f"<{self.type_name} object>"


def _describe(obj) -> dict:
    try:
        text = repr(obj)
    except BaseException:  # a hostile __repr__ must not break the wire
        text = "<repr failed>"
    as_float = None
    try:
        as_float = float(obj)
        if not isinstance(as_float, float):
            as_float = None
    except BaseException:
        as_float = None
    return {"$obj": type(obj).__name__[:80], "repr": text[:300], "float": as_float,
            "ndsub": isinstance(obj, np.ndarray)}


def _enc(obj, buffers: list, depth: int):
    if depth > MAX_DEPTH:
        return {"$obj": "too deeply nested", "repr": "", "float": None, "ndsub": False}
    t = type(obj)
    if obj is None or t in (bool, int, str):
        return obj
    if t is float:
        return {"$f": repr(obj)}  # keeps nan/inf and every bit
    if t is np.ndarray and obj.dtype.kind in ARRAY_KINDS:
        arr = np.ascontiguousarray(obj).reshape(obj.shape)   # ascontiguousarray makes 0-d arrays 1-d
        buffers.append(arr.tobytes())
        return {"$nd": len(buffers) - 1, "dtype": arr.dtype.str, "shape": list(arr.shape)}
    if isinstance(obj, np.generic) and t is not np.ndarray and obj.dtype.kind in ARRAY_KINDS:
        return {"$np": obj.dtype.str, "v": _enc(obj.item(), buffers, depth + 1)}
    if t is list:
        return {"$list": [_enc(x, buffers, depth + 1) for x in obj]}
    if t is tuple:
        return {"$tuple": [_enc(x, buffers, depth + 1) for x in obj]}
    if t is dict and all(type(k) is str for k in obj):
        return {"$dict": [[k, _enc(v, buffers, depth + 1)] for k, v in obj.items()]}
    return _describe(obj)


def encode(obj) -> bytes:
    buffers: list[bytes] = []
    header = json.dumps({"v": _enc(obj, buffers, 0), "b": [len(b) for b in buffers]}).encode()
    return struct.pack("<I", len(header)) + header + b"".join(buffers)


def _dec(node, buffers: list, depth: int, budget: list):
    if depth > MAX_DEPTH:
        raise WireError("nesting too deep")
    budget[0] -= 1
    if budget[0] < 0:
        raise WireError(f"more than {MAX_NODES:,} nodes in one message")
    if node is None or type(node) in (bool, int, str):
        return node
    if type(node) is not dict:
        raise WireError(f"unexpected node {type(node).__name__}")
    if "$f" in node:
        return float(str(node["$f"]))
    if "$nd" in node:
        i, dtype, shape = node["$nd"], np.dtype(str(node["dtype"])), node["shape"]
        if dtype.kind not in ARRAY_KINDS or type(i) is not int or not 0 <= i < len(buffers):
            raise WireError("bad array")
        if not all(type(s) is int and s >= 0 for s in shape):
            raise WireError("bad shape")
        data = buffers[i]
        if len(data) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
            raise WireError("array size does not match its shape")
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
    if "$np" in node:
        dtype = np.dtype(str(node["$np"]))
        if dtype.kind not in ARRAY_KINDS:
            raise WireError("bad scalar")
        return dtype.type(_dec(node["v"], buffers, depth + 1, budget))
    if "$list" in node:
        return [_dec(x, buffers, depth + 1, budget) for x in node["$list"]]
    if "$tuple" in node:
        return tuple(_dec(x, buffers, depth + 1, budget) for x in node["$tuple"])
    if "$dict" in node:
        return {str(k): _dec(v, buffers, depth + 1, budget) for k, v in node["$dict"]}
    if "$obj" in node:
        f = node.get("float")
        return Opaque(printable(node["$obj"])[:80], printable(node.get("repr", ""))[:300],
                      float(f) if type(f) in (int, float) else None, bool(node.get("ndsub")))
    raise WireError("unknown node")


def decode(payload: bytes):
    try:
        (hlen,) = struct.unpack_from("<I", payload, 0)
        if hlen > MAX_HEADER:
            raise WireError(f"a header of {hlen:,} bytes is over the limit ({MAX_HEADER:,})")
        header = json.loads(payload[4:4 + hlen])
        sizes = header["b"]
        buffers, pos = [], 4 + hlen
        for n in sizes:
            if type(n) is not int or n < 0 or pos + n > len(payload):
                raise WireError("bad buffer table")
            buffers.append(payload[pos:pos + n])
            pos += n
        return _dec(header["v"], buffers, 0, [MAX_NODES])
    except WireError:
        raise
    except Exception as e:  # malformed JSON, missing keys, bad dtype strings, ...
        raise WireError(f"unreadable message: {type(e).__name__}") from None


def send(fd: int, obj) -> None:
    data = encode(obj)
    frame = struct.pack("<Q", len(data)) + data
    view = memoryview(frame)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def read_exact(fd: int, n: int, wait=None) -> bytes:
    """Read n bytes; `wait(fd)` blocks until fd is readable or raises (timeouts)."""
    chunks, got = [], 0
    while got < n:
        if wait is not None:
            wait(fd)
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise WireError("the other side closed the connection")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv(fd: int, wait=None, limit: int = MAX_MESSAGE):
    (n,) = struct.unpack("<Q", read_exact(fd, 8, wait))
    if n > limit:
        raise WireError(f"a message of {n:,} bytes is over the limit ({limit:,})")
    return decode(read_exact(fd, n, wait))
