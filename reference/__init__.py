"""The oracles: for every graded piece, a PyTorch oracle and a Keras oracle behind one interface.

Each lab's module (`reference/activations.py` for lab02_activations, ...) defines two
namespaces, `Torch` and `Keras`, whose functions carry the graded functions' names and
signatures and take and return float64 NumPy data. Importing a module here imports neither
framework: `reference._frameworks` imports each on first use, once per process.
"""
