"""Showing the errors that wrong calls raise, for pages that teach by mistake.

A page shows a mistake by running it and printing the error PyTorch gives;
hidden checks next to it assert that the error is still the one the prose explains.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["raised", "show_error"]


def raised(call: Callable[[], object], expected: type[BaseException] = Exception) -> BaseException:
    """Call ``call()`` and return the exception it raises.

    Args:
        call: a function of no arguments that is expected to fail, for example
            ``lambda: lstm(x, h_0)``.
        expected: the exception type it must raise (an exception of another type
            propagates unchanged).

    Returns:
        The exception instance, for checks such as ``"Expected 20, got 30" in str(error)``.

    Raises:
        AssertionError: when ``call()`` returns instead of raising.
    """
    try:
        call()
    except expected as error:
        return error
    raise AssertionError(f"expected {call!r} to raise {expected.__name__}, but it returned")


def show_error(call: Callable[[], object], expected: type[BaseException] = Exception) -> BaseException:
    """Call ``call()``, print the exception it raises as ``TypeName: message``, and return it.

    Args:
        call: a function of no arguments that is expected to fail.
        expected: the exception type it must raise (another type propagates).

    Returns:
        The exception instance.

    Raises:
        AssertionError: when ``call()`` returns instead of raising.

    Example:
        >>> show_error(lambda: int("seven"))
        ValueError: invalid literal for int() with base 10: 'seven'
        ValueError("invalid literal for int() with base 10: 'seven'")
    """
    error = raised(call, expected)
    print(f"{type(error).__name__}: {error}")
    return error
