"""Mutants and valid alternatives of lab01_neurons (see nngrade/mutants.py).

Each source is a complete `def` appended to the solution notebook as a last cell; it may
call the solution's other functions (`perceptron`, `gate_params`) and its constants
(`TRUTH_2`). `expect` is a phrase the feedback must contain: a `likely` row or a sentence
of the forward-pass comparison in nngrade/labs/lab01_neurons/checks.py, a generic diagnosis of
nngrade/diagnose.py, or the engine's own message (dtype, type, stability, in place).
"""
from nngrade.mutants import Alternative, Mutant

FIRES_AT_ZERO = "a step unit fires at z = 0"
UNSTABLE = "is not numerically stable"
IN_PLACE = "in place"

MUTANTS = [
    # ---- mp_neuron ------------------------------------------------------------------------
    Mutant("mp_neuron", "strict threshold: sum > theta", """
def mp_neuron(X, theta):
    return (np.asarray(X).sum(axis=1) > theta).astype(np.int64)
""", expect="use sum >= theta, not >"),
    Mutant("mp_neuron", "sums over the batch axis", """
def mp_neuron(X, theta):
    return (np.asarray(X).sum(axis=0) >= theta).astype(np.int64)
""", expect="has shape"),
    Mutant("mp_neuron", "returns floats", """
def mp_neuron(X, theta):
    return (np.asarray(X).sum(axis=1) >= theta).astype(np.float64)
""", expect="expected an integer or bool array"),
    Mutant("mp_neuron", "compares the mean with theta", """
def mp_neuron(X, theta):
    return (np.asarray(X).mean(axis=1) >= theta).astype(np.int64)
"""),
    Mutant("mp_neuron", "keeps a column: shape (N, 1)", """
def mp_neuron(X, theta):
    return (np.asarray(X).sum(axis=1, keepdims=True) >= theta).astype(np.int64)
""", expect="has shape"),

    # ---- perceptron -----------------------------------------------------------------------
    Mutant("perceptron", "strict: fires at z > 0", """
def perceptron(X, w, b):
    return (X @ w + b > 0).astype(np.int64)
""", expect="use >= 0, not > 0"),
    Mutant("perceptron", "forgets the bias", """
def perceptron(X, w, b):
    return (X @ w >= 0).astype(np.int64)
""", expect="the bias is missing"),
    Mutant("perceptron", "subtracts the bias (b read as the threshold)", """
def perceptron(X, w, b):
    return (X @ w - b >= 0).astype(np.int64)
""", expect="the bias has the wrong sign"),
    Mutant("perceptron", "returns the pre-activation z", """
def perceptron(X, w, b):
    return X @ w + b
""", expect="expected an integer or bool array"),
    Mutant("perceptron", "returns -1/+1 labels", """
def perceptron(X, w, b):
    return np.where(X @ w + b >= 0, 1, -1)
"""),

    # ---- gate_params ----------------------------------------------------------------------
    Mutant("gate_params", "AND with b = -1: (1, 0) sits on the boundary and fires", """
def gate_params(name):
    table = {"and": ([1.0, 1.0], -1.0), "or": ([1.0, 1.0], -0.5), "nand": ([-1.0, -1.0], 1.5),
             "nor": ([-1.0, -1.0], 0.5), "not": ([-1.0], 0.5)}
    w, b = table[name]
    return np.array(w), b
""", expect=FIRES_AT_ZERO),
    Mutant("gate_params", "NAND and NOR swapped", """
def gate_params(name):
    table = {"and": ([1.0, 1.0], -1.5), "or": ([1.0, 1.0], -0.5), "nand": ([-1.0, -1.0], 0.5),
             "nor": ([-1.0, -1.0], 1.5), "not": ([-1.0], 0.5)}
    w, b = table[name]
    return np.array(w), b
""", expect="the `nand` gate is [1, 1, 1, 0]"),
    Mutant("gate_params", "NOT with two weights", """
def gate_params(name):
    table = {"and": ([1.0, 1.0], -1.5), "or": ([1.0, 1.0], -0.5), "nand": ([-1.0, -1.0], 1.5),
             "nor": ([-1.0, -1.0], 0.5), "not": ([-1.0, 0.0], 0.5)}
    w, b = table[name]
    return np.array(w), b
""", expect="w has shape (2,), expected (1,)"),
    Mutant("gate_params", "returns lists instead of an array", """
def gate_params(name):
    table = {"and": ([1.0, 1.0], -1.5), "or": ([1.0, 1.0], -0.5), "nand": ([-1.0, -1.0], 1.5),
             "nor": ([-1.0, -1.0], 0.5), "not": ([-1.0], 0.5)}
    return table[name]
""", expect="w should be a numpy.ndarray"),
    Mutant("gate_params", "OR written as the notes' inequalities with b = 0", """
def gate_params(name):
    table = {"and": ([1.0, 1.0], -1.5), "or": ([1.1, 1.1], 0.0), "nand": ([-1.0, -1.0], 1.5),
             "nor": ([-1.0, -1.0], 0.5), "not": ([-1.0], 0.5)}
    w, b = table[name]
    return np.array(w), b
""", expect=FIRES_AT_ZERO),
    Mutant("gate_params", "returns (b, w)", """
def gate_params(name):
    table = {"and": ([1.0, 1.0], -1.5), "or": ([1.0, 1.0], -0.5), "nand": ([-1.0, -1.0], 1.5),
             "nor": ([-1.0, -1.0], 0.5), "not": ([-1.0], 0.5)}
    w, b = table[name]
    return b, np.array(w)
""", expect="w should be a numpy.ndarray"),

    # ---- perceptron_fit -------------------------------------------------------------------
    Mutant("perceptron_fit", "predicts with z > 0", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            delta = y_i - (1.0 if x_i @ w + b > 0 else 0.0)
            w, b = w + lr * delta * x_i, b + lr * delta
            mistakes += delta != 0
        if mistakes == 0:
            break
    return w, float(b)
""", expect="your rule predicts 0 there"),
    Mutant("perceptron_fit", "the bias update without lr", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            delta = y_i - (1.0 if x_i @ w + b >= 0 else 0.0)
            w, b = w + lr * delta * x_i, b + delta
            mistakes += delta != 0
        if mistakes == 0:
            break
    return w, float(b)
""", expect="the bias update needs the learning rate"),
    Mutant("perceptron_fit", "predicts the whole epoch first (batch rule)", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        y_hat = (X @ w + b >= 0).astype(float)
        if np.all(y_hat == y):
            break
        for x_i, y_i, p_i in zip(X, y, y_hat):
            w, b = w + lr * (y_i - p_i) * x_i, b + lr * (y_i - p_i)
    return w, float(b)
""", expect="with the weights of its start"),
    Mutant("perceptron_fit", "update with the wrong sign (yhat - y)", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            delta = (1.0 if x_i @ w + b >= 0 else 0.0) - y_i
            w, b = w + lr * delta * x_i, b + lr * delta
            mistakes += delta != 0
        if mistakes == 0:
            break
    return w, float(b)
"""),
    Mutant("perceptron_fit", "stops as soon as one row is right (break in the wrong loop)", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for x_i, y_i in zip(X, y):
            delta = y_i - (1.0 if x_i @ w + b >= 0 else 0.0)
            if delta == 0:
                break
            w, b = w + lr * delta * x_i, b + lr * delta
    return w, float(b)
"""),
    Mutant("perceptron_fit", "one epoch too many (range(epochs + 1))", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs + 1):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            delta = y_i - (1.0 if x_i @ w + b >= 0 else 0.0)
            w, b = w + lr * delta * x_i, b + lr * delta
            mistakes += delta != 0
        if mistakes == 0:
            break
    return w, float(b)
"""),
    Mutant("perceptron_fit", "shuffles the rows", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    rng = np.random.default_rng(0)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        mistakes = 0
        for i in rng.permutation(len(X)):
            delta = y[i] - (1.0 if X[i] @ w + b >= 0 else 0.0)
            w, b = w + lr * delta * X[i], b + lr * delta
            mistakes += delta != 0
        if mistakes == 0:
            break
    return w, float(b)
"""),
    Mutant("perceptron_fit", "turns the labels into -1/+1 in place (the +-1 textbook form)", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    y[y == 0] = -1
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            if y_i * (x_i @ w + b) <= 0:
                w, b = w + lr * y_i * x_i, b + lr * y_i
                mistakes += 1
        if mistakes == 0:
            break
    return w, float(b)
""", expect=IN_PLACE),

    # ---- xor_network ----------------------------------------------------------------------
    Mutant("xor_network", "output OR - AND >= 0: (0, 0) lands on z = 0 and fires", """
def xor_network():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([-0.5, -1.5])
    W2 = np.array([[1.0], [-1.0]])
    b2 = np.array([0.0])
    return W1, b1, W2, b2
""", expect=FIRES_AT_ZERO),
    Mutant("xor_network", "W2 of shape (1, 2) (torch's weight layout)", """
def xor_network():
    W1 = np.array([[1.0, -1.0], [-1.0, 1.0]])
    b1 = np.array([-0.5, -0.5])
    W2 = np.array([[1.0, 1.0]])
    b2 = np.array([-0.5])
    return W1, b1, W2, b2
""", expect="W2 has shape (1, 2), expected (2, 1)"),
    Mutant("xor_network", "the output unit is AND: computes nothing but (1, 1)", """
def xor_network():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([-0.5, 0.5])
    W2 = np.array([[1.0], [1.0]])
    b2 = np.array([-1.5])
    return W1, b1, W2, b2
""", expect="XOR is [0, 1, 1, 0]"),
    Mutant("xor_network", "W1 transposed in the OR/NAND construction", """
def xor_network():
    W1 = np.array([[1.0, 1.0], [-1.0, -1.0]])
    b1 = np.array([-0.5, 1.5])
    W2 = np.array([[1.0], [1.0]])
    b2 = np.array([-1.5])
    return W1, b1, W2, b2
""", expect="the grader's forward pass"),
    Mutant("xor_network", "returns the outputs, not the weights", """
def xor_network():
    return np.array([0, 1, 1, 0])
""", expect="the result should be a tuple (W1, b1, W2, b2)"),

    # ---- sigmoid_neuron -------------------------------------------------------------------
    Mutant("sigmoid_neuron", "the notes' formula, unstable for z = -1000", """
def sigmoid_neuron(X, w, b):
    return 1.0 / (1.0 + np.exp(-(X @ w + b)))
""", expect=UNSTABLE),
    Mutant("sigmoid_neuron", "sign of z flipped", """
def sigmoid_neuron(X, w, b):
    z = -(X @ w + b)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
""", expect="1 - sigmoid(z)"),
    Mutant("sigmoid_neuron", "forgets the bias", """
def sigmoid_neuron(X, w, b):
    z = X @ w
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
""", expect="the bias is missing"),
    Mutant("sigmoid_neuron", "returns a column (N, 1)", """
def sigmoid_neuron(X, w, b):
    z = (X @ w + b)[:, None]
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
""", expect="the values are right but the shape is not"),
    Mutant("sigmoid_neuron", "float32", """
def sigmoid_neuron(X, w, b):
    z = (X @ w + b).astype(np.float32)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
""", expect="float64 is the contract"),
]

ALTERNATIVES = [
    Alternative("mp_neuron", "a loop over the rows, booleans out", """
def mp_neuron(X, theta):
    return np.array([sum(row) >= theta for row in X])
"""),
    Alternative("mp_neuron", "an MP unit as a perceptron with unit weights and b = -theta", """
def mp_neuron(X, theta):
    return perceptron(X, np.ones(np.shape(X)[1]), -theta)
"""),
    Alternative("perceptron", "np.where and np.dot", """
def perceptron(X, w, b):
    return np.where(np.dot(X, w) + b >= 0, 1, 0)
"""),
    Alternative("perceptron", "the notes' form: a column of ones and w0 = b", """
def perceptron(X, w, b):
    X1 = np.hstack([np.ones((len(X), 1)), X])
    return (X1 @ np.concatenate([[b], w]) >= 0).astype(int)
"""),
    Alternative("gate_params", "other valid weights (the notes' OR, scaled gates)", """
def gate_params(name):
    table = {"and": (np.array([0.5, 0.5]), -0.75), "or": (np.array([1.1, 1.1]), -1.0),
             "nand": (np.array([-2.0, -3.0]), 4.0), "nor": (np.array([-1.0, -1.0]), 0.25),
             "not": (np.array([-3]), 1)}
    return table[name]
"""),
    Alternative("perceptron_fit", "updates only on mistakes, with a mistake flag, a copied X", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    X = np.array(X, dtype=float)
    w = np.zeros(X.shape[1])
    b = 0.0
    epoch = 0
    converged = False
    while epoch < epochs and not converged:
        converged = True
        for i in range(X.shape[0]):
            pred = int(np.dot(w, X[i]) + b >= 0)
            if pred != y[i]:
                converged = False
                w += lr * (y[i] - pred) * X[i]
                b += lr * (y[i] - pred)
        epoch += 1
    return w, b
"""),
    Alternative("perceptron_fit", "the notes' form: bias as weight w0 on a constant input", """
def perceptron_fit(X, y, lr=1.0, epochs=100):
    X1 = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(X1.shape[1])
    for _ in range(epochs):
        errors = 0
        for x_i, y_i in zip(X1, y):
            delta = y_i - perceptron(x_i[None, 1:], w[1:], w[0])[0]
            w = w + lr * delta * x_i
            errors += abs(delta)
        if errors == 0:
            break
    return w[1:], w[0]
"""),
    Alternative("xor_network", "OR and NAND in the hidden layer, AND at the output", """
def xor_network():
    (w_or, b_or), (w_nand, b_nand), (w_and, b_and) = gate_params("or"), gate_params("nand"), gate_params("and")
    W1 = np.stack([w_or, w_nand], axis=1)
    b1 = np.array([b_or, b_nand])
    return W1, b1, w_and.reshape(2, 1), np.array([b_and])
"""),
    Alternative("sigmoid_neuron", "scipy.special.expit", """
from scipy.special import expit
def sigmoid_neuron(X, w, b):
    return expit(np.asarray(X) @ w + b)
"""),
    Alternative("sigmoid_neuron", "via tanh: sigma(z) = (1 + tanh(z / 2)) / 2", """
def sigmoid_neuron(X, w, b):
    return 0.5 * (1.0 + np.tanh(0.5 * (X @ w + b)))
"""),
]
