"""Scores submission.csv: mean absolute error on the held-out split of train.py (lower is better).

Prints one JSON line, as MLAgentBench's eval.py does:
    {"metric": "mae", "higher_is_better": false, "score": 46.26}
The score is null when submission.csv is missing or does not have one finite prediction per test row.
"""
import json
import os
import sys

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

folder = sys.argv[1] if len(sys.argv) > 1 else "."
X, y = load_diabetes(return_X_y=True)
_, _, _, y_test = train_test_split(X, y, test_size=0.3, random_state=7)
path = os.path.join(folder, "submission.csv")
score = None
if os.path.exists(path):
    pred = np.loadtxt(path, dtype=float).reshape(-1)
    if pred.shape == y_test.shape and np.all(np.isfinite(pred)):
        score = round(float(np.abs(pred - y_test).mean()), 4)
print(json.dumps({"metric": "mae", "higher_is_better": False, "score": score}))
