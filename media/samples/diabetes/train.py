"""Predicts diabetes progression with a single decision tree (the baseline to beat)."""
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=7)

model = DecisionTreeRegressor(max_depth=2, random_state=0)
model.fit(X_train, y_train)
pred = model.predict(X_test)
print(f"test MAE: {np.abs(pred - y_test).mean():.3f}")
np.savetxt("submission.csv", pred, fmt="%.5f")
