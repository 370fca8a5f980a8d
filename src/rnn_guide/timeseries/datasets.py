"""Loaders for the series used in the guide: AirPassengers, monthly sunspots and ETTh1.

The files are found by :func:`rnn_guide.data.resolve`: ``path=`` if given, else ``$RNN_GUIDE_DATA``, else
the copy carried inside the package (all three series are carried), else the download cache, else a
download from the original source (ETTh1 only). Every file is checked against its published SHA-256, so
results are comparable with the protocols' numbers. Files are read with the standard ``csv`` module
(pandas is not needed).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rnn_guide.data import resolve

__all__ = [
    "DATASETS",
    "TimeSeries",
    "data_file",
    "load_air_passengers",
    "load_csv_series",
    "load_etth1",
    "load_sunspots",
]

#: The data sets these loaders read, by name, with the key of their file in :data:`rnn_guide.data.DATA_FILES`.
DATASETS: dict[str, str] = {"air_passengers": "air_passengers", "sunspots": "sunspots", "etth1": "etth1"}


@dataclass(frozen=True)
class TimeSeries:
    """A loaded series: values, column names and the time stamps of the rows.

    Attributes:
        values: float64 array ``(T, C)``.
        columns: the ``C`` column names.
        index: the ``T`` time stamps as written in the file (e.g. ``"1949-01"``).
    """

    values: np.ndarray
    columns: tuple[str, ...]
    index: tuple[str, ...] = field(repr=False)

    def __len__(self) -> int:
        return len(self.values)

    def column(self, name: str) -> np.ndarray:
        """The 1-D values ``(T,)`` of column ``name``."""
        if name not in self.columns:
            raise ValueError(f"name must be one of the columns {list(self.columns)}, got {name!r}")
        return self.values[:, self.columns.index(name)]

    def row_of(self, stamp: str) -> int:
        """The first row whose time stamp starts with ``stamp`` (e.g. ``"1959"`` or ``"1959-01"``)."""
        for row, value in enumerate(self.index):
            if value.startswith(stamp):
                return row
        raise ValueError(f"stamp {stamp!r} matches no row (the index runs from {self.index[0]} to {self.index[-1]})")


def data_file(name: str, *, path: str | os.PathLike | None = None, data_dir: str | os.PathLike | None = None) -> Path:
    """Locate and verify the file of data set ``name`` (through :func:`rnn_guide.data.resolve`).

    Args:
        name: a key of :data:`DATASETS` (``"air_passengers"``, ``"sunspots"``, ``"etth1"``).
        path: the file itself; wins over ``data_dir``.
        data_dir: a folder that holds the file under its usual name.

    Returns:
        The path of an existing file whose SHA-256 matches the published one.

    Raises:
        FileNotFoundError: if ``path``/``data_dir`` holds no such file, or (``DataNotFoundError``) no copy is
            found anywhere; the message says where to get it and where to put it.
        ChecksumError: if the file's SHA-256 differs from the published one.
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {sorted(DATASETS)}, got {name!r}")
    return resolve(DATASETS[name], path=path if path is not None else data_dir)


def load_csv_series(
    path: str | os.PathLike,
    *,
    columns: list[str] | None = None,
    index_column: str | int | None = 0,
) -> TimeSeries:
    """Read a CSV file with a header row into a :class:`TimeSeries`.

    Args:
        path: the CSV file.
        columns: value columns to keep (default: every column except the index column).
        index_column: name or position of the time-stamp column, or ``None`` if there is none.

    Returns:
        The series; empty cells become NaN (see :func:`~rnn_guide.timeseries.interpolate_missing`).

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: if the file is not UTF-8 text, has no data row, a column is missing or a cell is not a
            number.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path must be an existing CSV file, got {str(path)!r}")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not UTF-8 text (byte {error.start}): is it a CSV file?") from error
    if len(rows) < 2:
        raise ValueError(f"{path} must hold a header row and at least one data row, got {len(rows)} row(s)")
    header, body = [h.strip() for h in rows[0]], rows[1:]
    if isinstance(index_column, str):
        if index_column not in header:
            raise ValueError(f"index_column {index_column!r} is not a column of {path}; columns: {header}")
        index_column = header.index(index_column)
    if index_column is not None and not 0 <= index_column < len(header):
        raise ValueError(f"index_column must be a column position below {len(header)}, got {index_column}")
    if columns is None:
        columns = [h for i, h in enumerate(header) if i != index_column]
    missing = [c for c in columns if c not in header]
    if missing or not columns:
        raise ValueError(f"columns must be names in the header of {path} {header}, got {columns}")
    positions = [header.index(c) for c in columns]
    values = np.empty((len(body), len(positions)), dtype=np.float64)
    for r, row in enumerate(body):
        for j, position in enumerate(positions):
            cell = row[position].strip() if position < len(row) else ""
            try:
                values[r, j] = float(cell) if cell else np.nan
            except ValueError:
                raise ValueError(
                    f"column {columns[j]!r} of {path} must be numeric, got {cell!r} in data row {r + 1}"
                ) from None
    index = tuple(row[index_column] for row in body) if index_column is not None else tuple(map(str, range(len(body))))
    return TimeSeries(values=values, columns=tuple(columns), index=index)


def load_air_passengers(
    *, path: str | os.PathLike | None = None, data_dir: str | os.PathLike | None = None
) -> TimeSeries:
    """Monthly international airline passengers (thousands), 1949-01 to 1960-12: ``(144, 1)``.

    Args:
        path: the CSV file (columns ``Date,Passengers``).
        data_dir: directory holding ``AirPassengers.csv`` (default: found by :func:`rnn_guide.data.resolve`).

    Returns:
        A :class:`TimeSeries` with the column ``"Passengers"``.
    """
    return load_csv_series(data_file("air_passengers", path=path, data_dir=data_dir), index_column="Date")


def load_sunspots(*, path: str | os.PathLike | None = None, data_dir: str | os.PathLike | None = None) -> TimeSeries:
    """Monthly mean relative sunspot numbers, 1749-01 to 1983-12: ``(2820, 1)``.

    Args:
        path: the CSV file (columns ``month,sunspots``).
        data_dir: directory holding ``sunspots_monthly_1749_1983.csv`` (default: see :func:`rnn_guide.data.resolve`).

    Returns:
        A :class:`TimeSeries` with the column ``"sunspots"``.
    """
    return load_csv_series(data_file("sunspots", path=path, data_dir=data_dir), index_column="month")


def load_etth1(
    *,
    path: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    columns: list[str] | None = None,
) -> TimeSeries:
    """Hourly electricity transformer data, 2016-07-01 to 2018-06-26: ``(17420, 7)``.

    Args:
        path: the CSV file (columns ``date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT``).
        data_dir: directory holding ``ETTh1.csv`` (default: found by :func:`rnn_guide.data.resolve`).
        columns: value columns to keep, e.g. ``["OT"]`` for the univariate task (default: all seven).

    Returns:
        A :class:`TimeSeries`; use :data:`~rnn_guide.timeseries.ETTH1_SPLIT` for the standard split.
    """
    return load_csv_series(data_file("etth1", path=path, data_dir=data_dir), columns=columns, index_column="date")
