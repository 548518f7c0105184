"""The registry rows of each lab, one module per lab, named as the lab."""
