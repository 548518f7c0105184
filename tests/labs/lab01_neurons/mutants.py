"""Mutants and valid alternatives of lab01_neurons (see nngrade/mutants.py).

A mutant is a patch of the solution's own definition (`replace(old, new)`), so that its mistake
is the only difference; a row that is a different way of writing the function (the +-1
textbook rule, another XOR construction) and every alternative is a complete `def`, which may
call the solution's other functions (`perceptron`, `gate_params`). `expect` is a phrase the
feedback must contain: a `likely` row or a sentence of the forward-pass comparison in
nngrade/labs/lab01_neurons/checks.py, or a generic one of nngrade.mistakes.
"""
from nngrade import mistakes as M
from nngrade.labs.lab01_neurons.checks import FIRES_AT_ZERO
from nngrade.mutants import Alternative, Mutant, replace

FLOAT64 = "float64 is the contract"                  # nngrade.compare: a float32 result
NOT_INTEGER = "expected an integer or bool array"    # nngrade.compare: floats where 0/1 labels are asked

MUTANTS = [
    # ---- mp_neuron ------------------------------------------------------------------------
    Mutant("mp_neuron", "strict threshold: sum > theta", replace(") >= theta", ") > theta"),
           expect="use sum >= theta, not >"),
    Mutant("mp_neuron", "sums over the batch axis", replace("axis=1", "axis=0"), expect="has shape"),
    Mutant("mp_neuron", "returns floats", replace("np.int64", "np.float64"), expect=NOT_INTEGER),
    Mutant("mp_neuron", "compares the mean with theta", replace("X.sum(", "X.mean(")),
    Mutant("mp_neuron", "keeps a column: shape (N, 1)", replace("axis=1)", "axis=1, keepdims=True)"),
           expect="has shape"),

    # ---- perceptron -----------------------------------------------------------------------
    Mutant("perceptron", "strict: fires at z > 0", replace("(z >= 0)", "(z > 0)"), expect="use >= 0, not > 0"),
    Mutant("perceptron", "forgets the bias", replace("np.float64) + b", "np.float64)"),
           expect="the bias is missing"),
    Mutant("perceptron", "subtracts the bias (b read as the threshold)", replace("np.float64) + b", "np.float64) - b"),
           expect="the bias has the wrong sign"),
    Mutant("perceptron", "returns the pre-activation z", replace("return (z >= 0).astype(np.int64)", "return z"),
           expect=NOT_INTEGER),
    Mutant("perceptron", "returns -1/+1 labels", replace("(z >= 0).astype(np.int64)", "np.where(z >= 0, 1, -1)")),

    # ---- gate_params ----------------------------------------------------------------------
    Mutant("gate_params", "AND with b = -1: (1, 0) sits on the boundary and fires",
           replace('"and": ([1.0, 1.0], -1.5)', '"and": ([1.0, 1.0], -1.0)'), expect=FIRES_AT_ZERO),
    Mutant("gate_params", "NAND and NOR swapped",
           replace('"nand": ([-1.0, -1.0], 1.5)', '"nand": ([-1.0, -1.0], 0.5)')
           + replace('"nor": ([-1.0, -1.0], 0.5)', '"nor": ([-1.0, -1.0], 1.5)'),
           expect="the `nand` gate is [1, 1, 1, 0]"),
    Mutant("gate_params", "NOT with two weights", replace('"not": ([-1.0], 0.5)', '"not": ([-1.0, 0.0], 0.5)'),
           expect="w has shape (2,), expected (1,)"),
    Mutant("gate_params", "returns the table's list and float, not an array",
           replace("return np.array(w, dtype=np.float64), float(b)", "return w, b"),
           expect="w should be a numpy.ndarray"),
    Mutant("gate_params", "OR written as the notes' inequalities with b = 0",
           replace('"or": ([1.0, 1.0], -0.5)', '"or": ([1.1, 1.1], 0.0)'), expect=FIRES_AT_ZERO),
    Mutant("gate_params", "returns (b, w)",
           replace("return np.array(w, dtype=np.float64), float(b)", "return float(b), np.array(w, dtype=np.float64)"),
           expect="w should be a numpy.ndarray"),

    # ---- perceptron_fit -------------------------------------------------------------------
    Mutant("perceptron_fit", "predicts with z > 0", replace("+ b >= 0", "+ b > 0"),
           expect="your rule predicts 0 there"),
    Mutant("perceptron_fit", "the bias update without lr", replace("b = b + lr * delta", "b = b + delta"),
           expect="the bias update needs the learning rate"),
    Mutant("perceptron_fit", "predicts the whole epoch first (batch rule)",
           replace("        for x_i, y_i in zip(X, y):\n            y_hat = 1.0 if x_i @ w + b >= 0 else 0.0\n",
                   "        y_hats = (X @ w + b >= 0).astype(np.float64)\n"
                   "        for x_i, y_i, y_hat in zip(X, y, y_hats):\n"),
           expect="with the weights of its start"),
    Mutant("perceptron_fit", "update with the wrong sign (yhat - y)", replace("y_i - y_hat", "y_hat - y_i")),
    Mutant("perceptron_fit", "stops at the first row it gets right (a break in the loop over the rows)",
           replace("                mistakes += 1\n",
                   "                mistakes += 1\n            else:\n                break\n")),
    Mutant("perceptron_fit", "one epoch too many (range(epochs + 1))", replace("range(epochs)", "range(epochs + 1)")),
    Mutant("perceptron_fit", "shuffles the rows",
           replace("    for _ in range(epochs):\n", "    rng = np.random.default_rng(0)\n    for _ in range(epochs):\n")
           + replace("        mistakes = 0\n", "        mistakes = 0\n        order = rng.permutation(len(X))\n")
           + replace("zip(X, y)", "zip(X[order], y[order])")),
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
""", expect=M.IN_PLACE, also=("your rule predicts 0 there",)),   # the +-1 rule updates a positive row at z = 0

    # ---- xor_network ----------------------------------------------------------------------
    Mutant("xor_network", "the output's bias 0 (h1 + h2 >= 0): (0, 0) lands on z = 0 and fires",
           replace("b2 = np.array([-0.5])", "b2 = np.array([0.0])"), expect=FIRES_AT_ZERO),
    Mutant("xor_network", "W2 of shape (1, 2) (torch's weight layout)",
           replace("W2 = np.array([[1.0], [1.0]])", "W2 = np.array([[1.0, 1.0]])"),
           expect="W2 has shape (1, 2), expected (2, 1)"),
    Mutant("xor_network", "the output unit is AND (b2 = -1.5): h1 and h2 are never on together",
           replace("b2 = np.array([-0.5])", "b2 = np.array([-1.5])"), expect="XOR is [0, 1, 1, 0]"),
    # the solution's W1 is symmetric: the transpose is a mistake of the OR/NAND construction only
    Mutant("xor_network", "W1 transposed in the OR/NAND construction", """
def xor_network():
    W1 = np.array([[1.0, 1.0], [-1.0, -1.0]])
    b1 = np.array([-0.5, 1.5])
    W2 = np.array([[1.0], [1.0]])
    b2 = np.array([-1.5])
    return W1, b1, W2, b2
""", expect="the grader's forward pass"),
    Mutant("xor_network", "returns the outputs, not the weights",
           replace("return W1, b1, W2, b2", "return np.array([0, 1, 1, 0])"),
           expect="the result should be a tuple (W1, b1, W2, b2)"),

    # ---- sigmoid_neuron -------------------------------------------------------------------
    Mutant("sigmoid_neuron", "the notes' formula, unstable for z = -1000",
           replace("np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))", "1.0 / (1.0 + np.exp(-z))"),
           expect=M.UNSTABLE),
    Mutant("sigmoid_neuron", "sign of z flipped: z = -(X @ w + b)",
           replace("np.float64) + b\n", "np.float64) + b\n    z = -z\n"), expect="1 - sigmoid(z)"),
    Mutant("sigmoid_neuron", "forgets the bias", replace("np.float64) + b", "np.float64)"),
           expect="the bias is missing"),
    Mutant("sigmoid_neuron", "w as a column (n, 1): returns a column (N, 1)",
           replace("np.float64) + b", "np.float64)[:, None] + b"), expect=M.RESHAPED),
    Mutant("sigmoid_neuron", "float32 (dtype=np.float32)", replace("dtype=np.float64", "dtype=np.float32", count=2),
           expect=FLOAT64),
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
