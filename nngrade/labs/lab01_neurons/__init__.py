"""lab01_neurons: McCulloch-Pitts units, perceptrons, boolean gates, the perceptron rule,

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/neurons.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "mp_neuron": "mp_neuron(X, theta)",
    "perceptron": "perceptron(X, w, b)",
    "gate_params": "gate_params(name)",
    "perceptron_fit": "perceptron_fit(X, y, lr=1.0, epochs=100)",
    "xor_network": "xor_network()",
    "sigmoid_neuron": "sigmoid_neuron(X, w, b)",
}
