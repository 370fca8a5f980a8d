"""Showing the errors that wrong calls raise, for pages that teach by mistake.

A page shows a mistake by running it and printing the error PyTorch gives;
hidden checks next to it assert that the error is still the one the prose explains.
Printed messages are tidied (:func:`tidy_message`) so that they read the same on every
machine and in every run: no terminal colour codes, memory addresses or local paths.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import TypeVar

__all__ = ["raised", "show_error", "show_warnings", "tidy_message"]

T = TypeVar("T")

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{4,}\b")
# Everything up to an installed package's folder: /home/me/.venv/lib/python3.11/site-packages/torch/...
_PACKAGES = re.compile(r"[^\s\"'`(\[]*[/\\](site-packages|dist-packages)(?=[/\\])")
# Any other absolute POSIX path (not part of a URL, not already shortened): keep its last part.
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.…])/(?:[\w.\-]+/)+([\w.\-]+)")


def tidy_message(text: str) -> str:
    """Make an error or warning message the same on every machine and in every run.

    Removes terminal colour codes, writes memory addresses as ``0x…``, shortens the path of an
    installed package to ``…/site-packages/...`` and any other absolute path to its last part
    (a file name). URLs and everything else stay as they are.

    Args:
        text: the message, as ``str(error)`` gives it.

    Returns:
        The tidied message.

    Example:
        >>> tidy_message("at 0x7f3a2c1d9e80 in /home/me/project/train.py")
        'at 0x… in train.py'
    """
    text = _ANSI_ESCAPE.sub("", text)
    text = _ADDRESS.sub("0x…", text)
    text = _PACKAGES.sub(lambda m: f"…/{m.group(1)}", text)
    return _ABSOLUTE_PATH.sub(lambda m: m.group(1), text)


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

    The message is printed tidied by :func:`tidy_message`.

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
    print(f"{type(error).__name__}: {tidy_message(str(error))}")
    return error


def show_warnings(call: Callable[[], T], category: type[Warning] = UserWarning) -> T:
    """Call ``call()``, print each warning of ``category`` it issues as ``TypeName: message``, and return its result.

    Every warning is recorded, also one that Python would show only once per place; warnings of
    other categories are left to Python's filters. Messages are tidied by :func:`tidy_message`.

    Args:
        call: a function of no arguments, for example ``lambda: nn.LSTM(4, 8, dropout=0.5)``.
        category: the warnings to print (subclasses included).

    Returns:
        What ``call()`` returned.

    Raises:
        AssertionError: when ``call()`` issues no warning of ``category``.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", category)
        result = call()
    shown = [w for w in caught if issubclass(w.category, category)]
    for warning in caught:
        if warning not in shown:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if not shown:
        raise AssertionError(f"expected {call!r} to warn with {category.__name__}, but it did not")
    for warning in shown:
        print(f"{warning.category.__name__}: {tidy_message(str(warning.message))}")
    return result
