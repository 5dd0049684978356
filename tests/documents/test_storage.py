"""Where the compiled files go (documents.storage): a file is written whole or not at all."""

import pytest

from documents import storage

from .helpers import files_in


def test_an_interrupted_write_leaves_neither_the_file_nor_its_temporary(media, monkeypatch):
    directory = media / "reports"

    def fail(*args):
        raise OSError("gone")

    monkeypatch.setattr(storage.os, "replace", fail)
    with pytest.raises(OSError):
        storage.write_atomic(directory, "v01-1.pdf", b"%PDF")
    assert files_in(media) == []
