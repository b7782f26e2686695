"""Extraction quality: scoring a build against an answer file (`make eval`, evaluate.py) and turning
quantulum3's test cases into articles and answers (quantulum_cases.py)."""
