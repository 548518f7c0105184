"""The wire: plain data round-trips exactly; anything else arrives as an inert description."""
import numpy as np
import pytest

from nngrade.wire import Opaque, WireError, decode, encode


def test_round_trip_of_plain_data_keeps_types_and_bits():
    value = {"a": (np.arange(6, dtype=np.float32).reshape(2, 3), [1, 2.5, True, None, "s"]),
             "b": np.array([np.nan, -np.inf, 1e-310]), "c": np.float64(0.1), "d": float("nan")}
    back = decode(encode(value))
    assert back["a"][0].dtype == np.float32 and back["a"][0].shape == (2, 3)
    assert back["a"][1] == [1, 2.5, True, None, "s"] and type(back["a"][1][0]) is int  # exact: a lossless round trip
    # exact: a lossless round trip of the same bits
    assert np.array_equal(back["b"], value["b"], equal_nan=True)
    # exact: a lossless round trip of the same bits
    assert type(back["c"]) is np.float64 and back["c"] == 0.1
    assert np.isnan(back["d"])


def test_objects_become_opaque_descriptions_without_calling_back():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

        def __float__(self):
            return 0.5

    class Lying(np.ndarray):
        pass

    back = decode(encode([AlwaysEqual(), np.zeros(3).view(Lying)]))
    # exact: a lossless round trip of the same bits
    assert isinstance(back[0], Opaque) and back[0].type_name == "AlwaysEqual" and back[0].as_float == 0.5
    assert isinstance(back[1], Opaque) and back[1].ndarray_subclass
    assert not (back[0] == 1)  # the grader-side stand-in has ordinary identity equality


def test_hostile_repr_does_not_break_encoding():
    class Bad:
        def __repr__(self):
            raise RuntimeError("no")

    assert decode(encode(Bad())).repr_text == "<repr failed>"


@pytest.mark.parametrize("payload", [b"", b"\x05\x00\x00\x00{}", b"\x02\x00\x00\x00[]",
                                     encode(np.zeros(4))[:-8]])
def test_malformed_messages_are_rejected(payload):
    with pytest.raises(WireError):
        decode(payload)


def test_object_arrays_are_not_sent_as_arrays():
    back = decode(encode(np.array([object()], dtype=object)))
    assert isinstance(back, Opaque)
