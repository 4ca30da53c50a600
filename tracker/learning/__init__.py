"""Training of the learned decisions shipped in tracker/pipeline/data/model.json.

Needs scikit-learn (training only); the pipeline reads the shipped parameters with plain
Python (tracker/pipeline/calibrate.py).
"""
