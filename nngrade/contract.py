"""The graded functions of each lab, with their signatures: the contract the notebooks, the
solutions, the checks and anyone grading with this package share. Names never change."""

_ACT = ["identity", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu",
        "softplus", "silu", "gaussian"]
_ACT_EXTRA = {"leaky_relu": ", alpha=0.01", "elu": ", alpha=1.0", "gelu": ", approximate=False"}
_LOSS = {"mse": "", "mae": "", "huber": ", delta=1.0", "binary_crossentropy": ", eps=1e-7",
         "binary_crossentropy_from_logits": "", "categorical_crossentropy": ", eps=1e-7",
         "sparse_categorical_crossentropy": ", eps=1e-7", "softmax_crossentropy_from_logits": "",
         "kl_divergence": ", eps=1e-7", "poisson": ", eps=1e-7", "msle": ", eps=1e-7", "hinge": ""}

SIGNATURES = {
    "lab01_neurons": {
        "mp_neuron": "mp_neuron(X, theta)", "perceptron": "perceptron(X, w, b)",
        "gate_params": "gate_params(name)", "perceptron_fit": "perceptron_fit(X, y, lr=1.0, epochs=100)",
        "xor_network": "xor_network()", "sigmoid_neuron": "sigmoid_neuron(X, w, b)"},
    "lab02_activations": {
        **{n: f"{n}(z{_ACT_EXTRA.get(n, '')})" for n in _ACT},
        **{n + "_grad": f"{n}_grad(z{_ACT_EXTRA.get(n, '')})" for n in _ACT},
        "softmax": "softmax(z, axis=-1)", "softmax_backward": "softmax_backward(z, grad_out, axis=-1)"},
    "lab03_losses": {
        **{n: f"{n}(y_true, {'logits' if 'logits' in n else 'scores' if n == 'hinge' else 'y_pred'}{e})"
           for n, e in _LOSS.items()},
        **{n + "_grad": f"{n}_grad(y_true, {'logits' if 'logits' in n else 'scores' if n == 'hinge' else 'y_pred'}{e})"
           for n, e in _LOSS.items()}},
    "lab04_gradient_descent": {
        "f": "f(w, b, x)", "error": "error(w, b, X, Y)", "grad_w": "grad_w(w, b, x, y)",
        "grad_b": "grad_b(w, b, x, y)",
        "gradient_descent": "gradient_descent(X, Y, w0=-2.0, b0=-2.0, eta=1.0, epochs=1000)",
        "error_surface": "error_surface(X, Y, ws, bs)"},
    "lab05_backprop": {
        "sigmoid_net_update": "sigmoid_net_update(x, t, W1, b1, W2, b2, lr)",
        "dense_forward": "dense_forward(X, W, b)", "dense_backward": "dense_backward(dZ, X, W)",
        "mlp_forward": 'mlp_forward(X, params, hidden="sigmoid", output="linear")',
        "mlp_loss_and_grads": 'mlp_loss_and_grads(X, Y, params, hidden="sigmoid", loss="mse")',
        "numerical_gradient": "numerical_gradient(f, x, h=1e-5)", "relative_error": "relative_error(a, b)"},
    "lab06_training": {
        "init_uniform": "init_uniform(shape, eps, rng)", "xavier_uniform": "xavier_uniform(fan_in, fan_out, rng)",
        "he_normal": "he_normal(fan_in, fan_out, rng)",
        "SGD": "SGD(params, lr, momentum=0.0, nesterov=False, weight_decay=0.0)",
        "Adagrad": "Adagrad(params, lr=0.01, eps=1e-10)",
        "RMSprop": "RMSprop(params, lr=0.01, alpha=0.99, eps=1e-8)",
        "Adam": "Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-8)",
        "l2_penalty": "l2_penalty(weights, lam)", "l2_penalty_grad": "l2_penalty_grad(weights, lam)",
        "iterate_minibatches": "iterate_minibatches(X, y, batch_size, rng=None)",
        "train": "train(X, y, params, optimizer, batch_size, epochs, X_val=None, y_val=None)"},
    "lab07_metrics": {
        "accuracy": "accuracy(y_true, y_pred)", "binary_accuracy": "binary_accuracy(y_true, y_pred, threshold=0.5)",
        "categorical_accuracy": "categorical_accuracy(y_true, y_pred)",
        "sparse_categorical_accuracy": "sparse_categorical_accuracy(y_true, y_pred)",
        "top_k_categorical_accuracy": "top_k_categorical_accuracy(y_true, y_pred, k=5)",
        "confusion_counts": "confusion_counts(y_true, y_pred, threshold=0.5)",
        "precision": "precision(y_true, y_pred, threshold=0.5)", "recall": "recall(y_true, y_pred, threshold=0.5)",
        "auc": "auc(y_true, y_pred, num_thresholds=200)",
        "root_mean_squared_error": "root_mean_squared_error(y_true, y_pred)",
        "mean_absolute_percentage_error": "mean_absolute_percentage_error(y_true, y_pred)",
        "mean_squared_logarithmic_error": "mean_squared_logarithmic_error(y_true, y_pred)",
        "precision_at_recall": "precision_at_recall(y_true, y_pred, recall, num_thresholds=200)",
        "sensitivity_at_specificity": "sensitivity_at_specificity(y_true, y_pred, specificity, num_thresholds=200)",
        "specificity_at_sensitivity": "specificity_at_sensitivity(y_true, y_pred, sensitivity, num_thresholds=200)",
        "Mean": "Mean()", "BinaryAccuracy": "BinaryAccuracy(threshold=0.5)",
        "Precision": "Precision(thresholds=0.5)", "Recall": "Recall(thresholds=0.5)",
        "AUC": "AUC(num_thresholds=200)"},
    "lab08_gradient_flow": {
        "layer_gradient_norms": 'layer_gradient_norms(X, Y, params, hidden="sigmoid")',
        "clip_by_norm": "clip_by_norm(g, max_norm)", "clip_by_global_norm": "clip_by_global_norm(grads, max_norm)"},
    "lab09_convolution": {
        "conv2d_forward": "conv2d_forward(X, W, b, stride=1, padding=0)",
        "conv2d_backward": "conv2d_backward(dOut, X, W, stride=1, padding=0)",
        "maxpool2d_forward": "maxpool2d_forward(X, pool=2, stride=2)",
        "maxpool2d_backward": "maxpool2d_backward(dOut, X, pool=2, stride=2)"},
}

FUNCTIONS = {lab: list(sigs) for lab, sigs in SIGNATURES.items()}
