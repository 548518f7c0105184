"""Plausible wrong answers for lab09_convolution, and valid alternatives.

A mutant is a patch of the solution's own definition (`replace(old, new)`), or a complete
definition where the mistake is a different way of writing it (central differences instead of
backpropagation; a loop over every output window, where the solution loops over the offsets
inside the window).
"""
from nngrade.mutants import Alternative, Mutant, replace

MUTANTS = [
    # ------------------------------------------------------------ conv2d_forward
    Mutant("conv2d_forward", "true convolution (kernel flipped)",
           replace("W = np.asarray(W, dtype=np.float64)", "W = np.asarray(W, dtype=np.float64)[::-1, ::-1]"),
           expect="true convolution"),
    Mutant("conv2d_forward", "forgets the bias",
           replace("np.zeros((N, Ho, Wo, C_out)) + b", "np.zeros((N, Ho, Wo, C_out))"), expect="the bias is missing"),
    Mutant("conv2d_forward", "pads only the top and the left (2p there, none at the bottom/right)",
           replace("(padding, padding), (padding, padding)", "(2 * padding, 0), (2 * padding, 0)")),
    Mutant("conv2d_forward", "output size without the + 1",
           replace("* padding - kh) // stride + 1", "* padding - kh) // stride")
           + replace("* padding - kw) // stride + 1", "* padding - kw) // stride"),
           expect="has shape"),
    Mutant("conv2d_forward", "ignores the stride when placing windows (i + a instead of i * s + a)",
           replace("Xp[:, a:a + stride * (Ho - 1) + 1:stride, c:c + stride * (Wo - 1) + 1:stride, :]", "Xp[:, a:a + Ho, c:c + Wo, :]")),

    # ------------------------------------------------------------ conv2d_backward
    Mutant("conv2d_backward", "db as the mean of dOut",
           replace("dOut.sum(axis=(0, 1, 2))", "dOut.mean(axis=(0, 1, 2))"), expect="db is a mean"),
    Mutant("conv2d_backward", "gradients of a true convolution (kernel flipped)",
           replace("W = np.asarray(W, dtype=np.float64)", "W = np.asarray(W, dtype=np.float64)[::-1, ::-1]")
           + replace("return dX, dW, db", "return dX, dW[::-1, ::-1].copy(), db"),
           expect="true convolution"),
    Mutant("conv2d_backward", "returns dX with the padding still on",
           replace("dX = dXp[:, padding:padding + H, padding:padding + Wi, :].copy()", "dX = dXp"),
           expect="result[0] has shape"),
    Mutant("conv2d_backward", "dX overwritten (=) where windows overlap",
           replace("dXp[:, rows, cols, :] += ", "dXp[:, rows, cols, :] = ")),
    Mutant("conv2d_backward", "dX uses W[a, c] without the transpose",
           replace("dOut @ W[a, c].T", "dOut @ W[a, c]")),

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
    Mutant("maxpool2d_forward", "average pooling",
           replace("np.full((N, Ho, Wo, C), -np.inf)", "np.zeros((N, Ho, Wo, C))")
           + replace("np.maximum(out, X[", "out + (X[") + replace(":stride, :])", ":stride, :] / pool ** 2)"),
           expect="average pooling"),
    Mutant("maxpool2d_forward", "maximum started at 0",
           replace("np.full((N, Ho, Wo, C), -np.inf)", "np.zeros((N, Ho, Wo, C))")),
    Mutant("maxpool2d_forward", "stride taken equal to pool",
           replace("    N, H, Wi, C = X.shape", "    stride = pool\n    N, H, Wi, C = X.shape"), expect="has shape"),
    Mutant("maxpool2d_forward", "maximum over the channels too",
           replace(":stride, :])", ":stride, :].max(axis=3, keepdims=True))")),

    # ------------------------------------------------------------ maxpool2d_backward
    Mutant("maxpool2d_backward", "every tied maximum gets the gradient (mask X == max)",
           replace("np.where(winner == k, dOut, 0.0)", "np.where(X[window_slice(k)] == best, dOut, 0.0)"),
           expect="to every maximum"),
    Mutant("maxpool2d_backward", "ties go to the last maximum (>=)",
           replace("better = values > best", "better = values >= best"), expect="last maximum"),
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
    Mutant("maxpool2d_backward", "gradient spread over the whole window (average pooling's)",
           replace("np.where(winner == k, dOut, 0.0)", "dOut / pool ** 2")),
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
