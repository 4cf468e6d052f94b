"""Bad-input cases, one module per family (a package: names such as test_jsonlines.py recur in tests/)."""
