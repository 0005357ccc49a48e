"""Data, analysis, charts and reports on the 10 January 2021 mäslihat elections in Kazakhstan."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("maslihat")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
