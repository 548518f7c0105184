"""lab04_gradient_descent: one sigmoid neuron fitted to the notes' two points (0.5, 0.2)

The package holds how the lab is graded: `checks` (the registry rows), and `driver` where the
worker needs more than one call of a function. Its oracles are `reference/gradient_descent.py`.
"""

# The graded functions and their signatures: the contract (names never change). A test
# holds them to the solution notebook's definitions.
SIGNATURES = {
    "f": "f(w, b, x)",
    "error": "error(w, b, X, Y)",
    "grad_w": "grad_w(w, b, x, y)",
    "grad_b": "grad_b(w, b, x, y)",
    "gradient_descent": "gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000)",
    "error_surface": "error_surface(X, Y, ws, bs)",
}
