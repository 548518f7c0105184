"""Plausible wrong answers for lab09_convolution, and valid alternatives."""
from nngrade.mutants import Alternative, Mutant

MUTANTS = [
    # ------------------------------------------------------------ conv2d_forward
    Mutant("conv2d_forward", "true convolution (kernel flipped)", '''
def conv2d_forward(X, W, b, stride=1, padding=0):
    W = W[::-1, ::-1]
    N, H, Wi, _ = X.shape
    kh, kw, _, C_out = W.shape
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    Ho = (H + 2 * padding - kh) // stride + 1
    Wo = (Wi + 2 * padding - kw) // stride + 1
    out = np.zeros((N, Ho, Wo, C_out)) + b
    for a in range(kh):
        for c in range(kw):
            out += Xp[:, a:a + stride * (Ho - 1) + 1:stride, c:c + stride * (Wo - 1) + 1:stride, :] @ W[a, c]
    return out
''', expect="true convolution"),
    Mutant("conv2d_forward", "forgets the bias", '''
def conv2d_forward(X, W, b, stride=1, padding=0):
    N, H, Wi, _ = X.shape
    kh, kw, _, C_out = W.shape
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    Ho = (H + 2 * padding - kh) // stride + 1
    Wo = (Wi + 2 * padding - kw) // stride + 1
    out = np.zeros((N, Ho, Wo, C_out))
    for a in range(kh):
        for c in range(kw):
            out += Xp[:, a:a + stride * (Ho - 1) + 1:stride, c:c + stride * (Wo - 1) + 1:stride, :] @ W[a, c]
    return out
''', expect="the bias is missing"),
    Mutant("conv2d_forward", "pads only the top and the left (2p there, none at the bottom/right)", '''
def conv2d_forward(X, W, b, stride=1, padding=0):
    N, H, Wi, _ = X.shape
    kh, kw, _, C_out = W.shape
    Xp = np.pad(X, ((0, 0), (2 * padding, 0), (2 * padding, 0), (0, 0)))
    Ho = (H + 2 * padding - kh) // stride + 1
    Wo = (Wi + 2 * padding - kw) // stride + 1
    out = np.zeros((N, Ho, Wo, C_out)) + b
    for a in range(kh):
        for c in range(kw):
            out += Xp[:, a:a + stride * (Ho - 1) + 1:stride, c:c + stride * (Wo - 1) + 1:stride, :] @ W[a, c]
    return out
'''),
    Mutant("conv2d_forward", "output size without the + 1", '''
def conv2d_forward(X, W, b, stride=1, padding=0):
    N, H, Wi, _ = X.shape
    kh, kw, _, C_out = W.shape
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    Ho = max((H + 2 * padding - kh) // stride, 1)
    Wo = max((Wi + 2 * padding - kw) // stride, 1)
    out = np.zeros((N, Ho, Wo, C_out)) + b
    for a in range(kh):
        for c in range(kw):
            out += Xp[:, a:a + stride * (Ho - 1) + 1:stride, c:c + stride * (Wo - 1) + 1:stride, :] @ W[a, c]
    return out
''', expect="has shape"),
    Mutant("conv2d_forward", "ignores the stride when placing windows (i + a instead of i * s + a)", '''
def conv2d_forward(X, W, b, stride=1, padding=0):
    N, H, Wi, _ = X.shape
    kh, kw, _, C_out = W.shape
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    Ho = (H + 2 * padding - kh) // stride + 1
    Wo = (Wi + 2 * padding - kw) // stride + 1
    out = np.zeros((N, Ho, Wo, C_out)) + b
    for a in range(kh):
        for c in range(kw):
            out += Xp[:, a:a + Ho, c:c + Wo, :] @ W[a, c]
    return out
'''),

    # ------------------------------------------------------------ conv2d_backward
    Mutant("conv2d_backward", "db as the mean of dOut", '''
def conv2d_backward(dOut, X, W, stride=1, padding=0):
    _, H, Wi, _ = X.shape
    kh, kw, _, _ = W.shape
    _, Ho, Wo, _ = dOut.shape
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    dXp, dW = np.zeros_like(Xp), np.zeros_like(W)
    for a in range(kh):
        for c in range(kw):
            rows, cols = slice(a, a + stride * (Ho - 1) + 1, stride), slice(c, c + stride * (Wo - 1) + 1, stride)
            dW[a, c] = np.tensordot(Xp[:, rows, cols, :], dOut, axes=([0, 1, 2], [0, 1, 2]))
            dXp[:, rows, cols, :] += dOut @ W[a, c].T
    return dXp[:, padding:padding + H, padding:padding + Wi, :], dW, dOut.mean(axis=(0, 1, 2))
''', expect="db is a mean"),
    Mutant("conv2d_backward", "gradients of a true convolution (kernel flipped)", '''
def conv2d_backward(dOut, X, W, stride=1, padding=0):
    W = W[::-1, ::-1]
    _, H, Wi, _ = X.shape
    kh, kw, _, _ = W.shape
    _, Ho, Wo, _ = dOut.shape
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    dXp, dW = np.zeros_like(Xp), np.zeros_like(W)
    for a in range(kh):
        for c in range(kw):
            rows, cols = slice(a, a + stride * (Ho - 1) + 1, stride), slice(c, c + stride * (Wo - 1) + 1, stride)
            dW[a, c] = np.tensordot(Xp[:, rows, cols, :], dOut, axes=([0, 1, 2], [0, 1, 2]))
            dXp[:, rows, cols, :] += dOut @ W[a, c].T
    return dXp[:, padding:padding + H, padding:padding + Wi, :], dW[::-1, ::-1].copy(), dOut.sum(axis=(0, 1, 2))
''', expect="true convolution"),
    Mutant("conv2d_backward", "returns dX with the padding still on", '''
def conv2d_backward(dOut, X, W, stride=1, padding=0):
    kh, kw, _, _ = W.shape
    _, Ho, Wo, _ = dOut.shape
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    dXp, dW = np.zeros_like(Xp), np.zeros_like(W)
    for a in range(kh):
        for c in range(kw):
            rows, cols = slice(a, a + stride * (Ho - 1) + 1, stride), slice(c, c + stride * (Wo - 1) + 1, stride)
            dW[a, c] = np.tensordot(Xp[:, rows, cols, :], dOut, axes=([0, 1, 2], [0, 1, 2]))
            dXp[:, rows, cols, :] += dOut @ W[a, c].T
    return dXp, dW, dOut.sum(axis=(0, 1, 2))
''', expect="result[0] has shape"),
    Mutant("conv2d_backward", "dX overwritten (=) where windows overlap", '''
def conv2d_backward(dOut, X, W, stride=1, padding=0):
    _, H, Wi, _ = X.shape
    kh, kw, _, _ = W.shape
    _, Ho, Wo, _ = dOut.shape
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    dXp, dW = np.zeros_like(Xp), np.zeros_like(W)
    for a in range(kh):
        for c in range(kw):
            rows, cols = slice(a, a + stride * (Ho - 1) + 1, stride), slice(c, c + stride * (Wo - 1) + 1, stride)
            dW[a, c] = np.tensordot(Xp[:, rows, cols, :], dOut, axes=([0, 1, 2], [0, 1, 2]))
            dXp[:, rows, cols, :] = dOut @ W[a, c].T
    return dXp[:, padding:padding + H, padding:padding + Wi, :], dW, dOut.sum(axis=(0, 1, 2))
'''),
    Mutant("conv2d_backward", "dX uses W[a, c] without the transpose", '''
def conv2d_backward(dOut, X, W, stride=1, padding=0):
    _, H, Wi, _ = X.shape
    kh, kw, _, _ = W.shape
    _, Ho, Wo, _ = dOut.shape
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    dXp, dW = np.zeros_like(Xp), np.zeros_like(W)
    for a in range(kh):
        for c in range(kw):
            rows, cols = slice(a, a + stride * (Ho - 1) + 1, stride), slice(c, c + stride * (Wo - 1) + 1, stride)
            dW[a, c] = np.tensordot(Xp[:, rows, cols, :], dOut, axes=([0, 1, 2], [0, 1, 2]))
            dXp[:, rows, cols, :] += dOut @ W[a, c]
    return dXp[:, padding:padding + H, padding:padding + Wi, :], dW, dOut.sum(axis=(0, 1, 2))
'''),

    Mutant("conv2d_backward", "central differences of conv2d_forward instead of backpropagation", '''
def conv2d_backward(dOut, X, W, stride=1, padding=0):
    X, W, b = X.copy(), W.copy(), np.zeros(W.shape[3])
    f = lambda: np.sum(dOut * conv2d_forward(X, W, b, stride, padding))
    grads = []
    for arr in (X, W, b):
        g = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + 1e-6
            up = f()
            arr[idx] = old - 1e-6
            down = f()
            arr[idx] = old
            g[idx] = (up - down) / 2e-6
        grads.append(g)
    return tuple(grads)
'''),

    # ------------------------------------------------------------ maxpool2d_forward
    Mutant("maxpool2d_forward", "average pooling", '''
def maxpool2d_forward(X, pool=2, stride=2):
    N, H, Wi, C = X.shape
    Ho, Wo = (H - pool) // stride + 1, (Wi - pool) // stride + 1
    out = np.zeros((N, Ho, Wo, C))
    for a in range(pool):
        for e in range(pool):
            out += X[:, a:a + stride * (Ho - 1) + 1:stride, e:e + stride * (Wo - 1) + 1:stride, :]
    return out / pool ** 2
''', expect="average pooling"),
    Mutant("maxpool2d_forward", "maximum started at 0", '''
def maxpool2d_forward(X, pool=2, stride=2):
    N, H, Wi, C = X.shape
    Ho, Wo = (H - pool) // stride + 1, (Wi - pool) // stride + 1
    out = np.zeros((N, Ho, Wo, C))
    for a in range(pool):
        for e in range(pool):
            out = np.maximum(out, X[:, a:a + stride * (Ho - 1) + 1:stride, e:e + stride * (Wo - 1) + 1:stride, :])
    return out
'''),
    Mutant("maxpool2d_forward", "stride taken equal to pool", '''
def maxpool2d_forward(X, pool=2, stride=2):
    stride = pool
    N, H, Wi, C = X.shape
    Ho, Wo = (H - pool) // stride + 1, (Wi - pool) // stride + 1
    out = np.full((N, Ho, Wo, C), -np.inf)
    for a in range(pool):
        for e in range(pool):
            out = np.maximum(out, X[:, a:a + stride * (Ho - 1) + 1:stride, e:e + stride * (Wo - 1) + 1:stride, :])
    return out
''', expect="has shape"),
    Mutant("maxpool2d_forward", "maximum over the channels too", '''
def maxpool2d_forward(X, pool=2, stride=2):
    N, H, Wi, C = X.shape
    Ho, Wo = (H - pool) // stride + 1, (Wi - pool) // stride + 1
    out = np.full((N, Ho, Wo, 1), -np.inf)
    for a in range(pool):
        for e in range(pool):
            win = X[:, a:a + stride * (Ho - 1) + 1:stride, e:e + stride * (Wo - 1) + 1:stride, :]
            out = np.maximum(out, win.max(axis=3, keepdims=True))
    return np.repeat(out, C, axis=3)
'''),

    # ------------------------------------------------------------ maxpool2d_backward
    Mutant("maxpool2d_backward", "every tied maximum gets the gradient (mask X == max)", '''
def maxpool2d_backward(dOut, X, pool=2, stride=2):
    _, Ho, Wo, _ = dOut.shape
    out = maxpool2d_forward(X, pool, stride)
    dX = np.zeros_like(X)
    for a in range(pool):
        for e in range(pool):
            sl = (slice(None), slice(a, a + stride * (Ho - 1) + 1, stride), slice(e, e + stride * (Wo - 1) + 1, stride),
                  slice(None))
            dX[sl] += np.where(X[sl] == out, dOut, 0.0)
    return dX
''', expect="to every maximum"),
    Mutant("maxpool2d_backward", "ties go to the last maximum (>=)", '''
def maxpool2d_backward(dOut, X, pool=2, stride=2):
    _, Ho, Wo, _ = dOut.shape
    def window_slice(k):
        a, e = divmod(k, pool)
        return (slice(None), slice(a, a + stride * (Ho - 1) + 1, stride), slice(e, e + stride * (Wo - 1) + 1, stride),
                slice(None))
    best = np.full(dOut.shape, -np.inf)
    winner = np.zeros(dOut.shape, dtype=int)
    for k in range(pool * pool):
        values = X[window_slice(k)]
        better = values >= best
        best = np.where(better, values, best)
        winner = np.where(better, k, winner)
    dX = np.zeros_like(X)
    for k in range(pool * pool):
        dX[window_slice(k)] += np.where(winner == k, dOut, 0.0)
    return dX
''', expect="last maximum"),
    Mutant("maxpool2d_backward", "overlapping windows overwrite (=) instead of accumulating", '''
def maxpool2d_backward(dOut, X, pool=2, stride=2):
    N, Ho, Wo, C = dOut.shape
    dX = np.zeros_like(X)
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                for c in range(C):
                    win = X[n, i * stride:i * stride + pool, j * stride:j * stride + pool, c]
                    a, e = divmod(int(np.argmax(win)), pool)
                    dX[n, i * stride + a, j * stride + e, c] = dOut[n, i, j, c]
    return dX
''', expect="(=)"),
    Mutant("maxpool2d_backward", "ties share the gradient equally", '''
def maxpool2d_backward(dOut, X, pool=2, stride=2):
    N, Ho, Wo, C = dOut.shape
    dX = np.zeros_like(X)
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                for c in range(C):
                    win = X[n, i * stride:i * stride + pool, j * stride:j * stride + pool, c]
                    mask = win == win.max()
                    dX[n, i * stride:i * stride + pool, j * stride:j * stride + pool, c] += mask * dOut[n, i, j, c] / mask.sum()
    return dX
''', expect="split the gradient"),
    Mutant("maxpool2d_backward", "gradient spread over the whole window (average pooling's)", '''
def maxpool2d_backward(dOut, X, pool=2, stride=2):
    _, Ho, Wo, _ = dOut.shape
    dX = np.zeros_like(X)
    for a in range(pool):
        for e in range(pool):
            dX[:, a:a + stride * (Ho - 1) + 1:stride, e:e + stride * (Wo - 1) + 1:stride, :] += dOut / pool ** 2
    return dX
'''),
]

ALTERNATIVES = [
    Alternative("conv2d_forward", "four nested loops, the formula word for word", '''
def conv2d_forward(X, W, b, stride=1, padding=0):
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    kh, kw, _, C_out = W.shape
    Ho = (Xp.shape[1] - kh) // stride + 1
    Wo = (Xp.shape[2] - kw) // stride + 1
    out = np.zeros((X.shape[0], Ho, Wo, C_out))
    for n in range(X.shape[0]):
        for i in range(Ho):
            for j in range(Wo):
                for o in range(C_out):
                    window = Xp[n, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
                    out[n, i, j, o] = np.sum(window * W[:, :, :, o]) + b[o]
    return out
'''),
    Alternative("conv2d_forward", "sliding_window_view and einsum (im2col without copies)", '''
def conv2d_forward(X, W, b, stride=1, padding=0):
    from numpy.lib.stride_tricks import sliding_window_view
    kh, kw = W.shape[:2]
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    win = sliding_window_view(Xp, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]   # (N, Ho, Wo, C, kh, kw)
    return np.einsum("nijcab,abco->nijo", win, W) + b
'''),
    Alternative("conv2d_backward", "loops over output positions", '''
def conv2d_backward(dOut, X, W, stride=1, padding=0):
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    kh, kw = W.shape[:2]
    dXp, dW = np.zeros_like(Xp), np.zeros_like(W)
    N, Ho, Wo, C_out = dOut.shape
    for i in range(Ho):
        for j in range(Wo):
            window = Xp[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]     # (N, kh, kw, C_in)
            g = dOut[:, i, j, :]                                                          # (N, C_out)
            dW += np.einsum("nabc,no->abco", window, g)
            dXp[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :] += np.einsum("abco,no->nabc", W, g)
    H, Wi = X.shape[1:3]
    return dXp[:, padding:padding + H, padding:padding + Wi, :], dW, dOut.sum(axis=(0, 1, 2))
'''),
    Alternative("maxpool2d_forward", "sliding_window_view and max", '''
def maxpool2d_forward(X, pool=2, stride=2):
    from numpy.lib.stride_tricks import sliding_window_view
    win = sliding_window_view(X, (pool, pool), axis=(1, 2))[:, ::stride, ::stride]
    return win.max(axis=(-2, -1))
'''),
    Alternative("maxpool2d_backward", "loops with np.argmax on each window (first maximum)", '''
def maxpool2d_backward(dOut, X, pool=2, stride=2):
    N, Ho, Wo, C = dOut.shape
    dX = np.zeros_like(X)
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                for c in range(C):
                    win = X[n, i * stride:i * stride + pool, j * stride:j * stride + pool, c]
                    a, e = divmod(int(np.argmax(win)), pool)
                    dX[n, i * stride + a, j * stride + e, c] += dOut[n, i, j, c]
    return dX
'''),
]
