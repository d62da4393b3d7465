"""The package list, which pyproject.toml cannot compute: `src` is installed as `agentry`, and
`migrations` as `agentry.migrations` (see [tool.setuptools] there); every package below them comes along."""

from setuptools import find_packages, setup

setup(
    packages=[
        "agentry",
        *(f"agentry.{name}" for name in find_packages("src")),
        "agentry.migrations",
        *(f"agentry.migrations.{name}" for name in find_packages("migrations")),
    ]
)
