"""kg.schema: the vocabulary, ontology, shapes, constraints and gazetteer, as data files."""
from importlib import resources


def data_path(name: str):
    """Path-like handle of a data file shipped in this package."""
    return resources.files(__name__).joinpath(name)


def read_text(name: str) -> str:
    return data_path(name).read_text(encoding="utf-8")
