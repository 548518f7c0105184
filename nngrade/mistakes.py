"""The words for the mistakes the grader names in every lab: one constant per mistake, used by the
messages that name it (`compare`, `diagnose`, the engine, the drivers) and by the mutants'
`expect=`, so that a reworded message and the tests that look for it change together. Mistakes of
one lab are the `Likely` rows of its checks module (`nngrade/labs/<lab>/checks.py`)."""

# the call
UNSTABLE = "is not numerically stable"                  # a RuntimeWarning on an input the contract calls stable
IN_PLACE = "in place"                                   # an argument changed (drivers.ArgumentModified)

# the type of the result
ONE_ELEMENT = "an array of one element"                 # a scalar was asked for
A_LIST = "wrap it with np.array"                        # a list where an ndarray was asked for
INTEGER = "integer arrays lose the fractions"           # an integer dtype where float64 was asked for
BOOL = "a boolean array"                                # a bool dtype where float64 was asked for

# the shape of a wrong value (nngrade.diagnose)
SIGN = "opposite sign"
TWICE = "exactly 2 times too large"
HALF = "half of the expected value"
TOO_LARGE = "times too large"
TOO_SMALL = "times too small"
BATCH = "(the batch size)"                              # a factor N: a sum where a mean was asked for
ELEMENTS = "(the number of elements)"
LAST_AXIS = "(the size of the last axis)"
TRANSPOSE = "transpose"
RESHAPED = "the values are right but the shape is not"
EMPTY_AXIS = "an axis of your result is empty"          # x[p:-p] with p = 0
