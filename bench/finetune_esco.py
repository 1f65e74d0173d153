"""Fine-tune the packaged all-MiniLM-L6-v2 on ESCO occupation labels (ESCO v1, CC BY 4.0) with
MultipleNegativesRankingLoss (in-batch negatives).

Only ../shared/data/taxonomies/esco-v1/occupations_en.csv is read for training. An experiment for issue 5's title
target (results in bench/RESULTS.md, "Quality"); the shipped default does not use it.

The project's environment has neither `datasets` nor `accelerate`, so
SentenceTransformerTrainer / model.fit are unavailable; this script runs a plain torch loop around
sentence-transformers' own MultipleNegativesRankingLoss (same loss object the trainer would use):
AdamW, linear warmup then linear decay, grad-norm clip 1.0, weight decay 0.01.

Pair kinds (--pairs, comma list):
  alt-pref   (alt label, preferred label) for every alt label
  alt-alt    (alt label, another alt label of the same occupation), --alt-alt-k partners per alt label
  desc       (preferred label, description)         [uses --desc-seq tokens]
  altdesc    (random alt label, description)          [uses --desc-seq tokens]
  isco       (label, label of another occupation in the same 4-digit ISCO group), --isco-k per occupation

Batches hold each occupation at most once and each (lower-cased) text at most once, so no in-batch
negative is a true positive of the same occupation. Batches are homogeneous in pair kind (label batches stay
short), and batch order is shuffled. ISCO pairs use the ISCO group as the "occupation" for de-duplication.

Run (from the repository; the two variants in bench/RESULTS.md, ~17 and ~24 min on 2 cores):
  .venv/bin/python bench/finetune_esco.py --out /tmp/ft-esco-v1 --pairs alt-pref,alt-alt \
      --epochs 1 --lr 3e-5 --batch 96 --max-seq 32 --seed 0
  .venv/bin/python bench/finetune_esco.py --base /tmp/ft-esco-v1 --out /tmp/ft-esco-v2 \
      --pairs alt-pref,alt-alt,desc,altdesc --symmetric --epochs 1 --lr 2e-5 --batch 96 --max-seq 32 \
      --desc-seq 128 --seed 1
then: .venv/bin/python bench/quality.py --sets titles --model /tmp/ft-esco-v2 --backend torch --cache /tmp/q-v2
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
ESCO = REPO.parent / "shared" / "data" / "taxonomies" / "esco-v1" / "occupations_en.csv"
sys.path.insert(0, str(REPO))


def load_esco(path: Path = ESCO) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for r in rows:
        pref = " ".join(r["preferredLabel"].split())
        alts = []
        seen = {pref.lower()}
        for a in r["altLabels"].split("\n"):
            a = " ".join(a.split())
            if a and a.lower() not in seen:
                seen.add(a.lower())
                alts.append(a)
        out.append({"uri": r["conceptUri"], "pref": pref, "alts": alts, "isco": r["iscoGroup"].strip(),
                    "desc": " ".join(r["description"].split())})
    return out


def build_pairs(occs: list[dict], kinds: list[str], rng: random.Random, alt_alt_k: int, isco_k: int):
    """Returns {kind: [(anchor, positive, group_key)]}."""
    pairs: dict[str, list] = {k: [] for k in kinds}
    for o in occs:
        key = o["uri"]
        if "alt-pref" in kinds:
            pairs["alt-pref"] += [(a, o["pref"], key) for a in o["alts"]]
        if "alt-alt" in kinds and len(o["alts"]) >= 2:
            for i, a in enumerate(o["alts"]):
                others = o["alts"][:i] + o["alts"][i + 1:]
                for b in rng.sample(others, min(alt_alt_k, len(others))):
                    pairs["alt-alt"].append((a, b, key))
        if "desc" in kinds and o["desc"]:
            pairs["desc"].append((o["pref"], o["desc"], key))
        if "altdesc" in kinds and o["desc"] and o["alts"]:
            pairs["altdesc"].append((rng.choice(o["alts"]), o["desc"], key))
    if "isco" in kinds:
        groups: dict[str, list[dict]] = {}
        for o in occs:
            groups.setdefault(o["isco"], []).append(o)
        for g, members in groups.items():
            if len(members) < 2:
                continue
            for o in members:
                for _ in range(isco_k):
                    other = rng.choice([m for m in members if m is not o])
                    a = rng.choice([o["pref"], *o["alts"]])
                    b = rng.choice([other["pref"], *other["alts"]])
                    pairs["isco"].append((a, b, "isco:" + g))
    return pairs


def make_batches(pairs: list, batch: int, rng: random.Random) -> list[list]:
    """Greedy no-duplicates batching: one pair per group key and per lower-cased text in a batch."""
    pending = pairs[:]
    rng.shuffle(pending)
    batches = []
    while pending:
        current, keys, texts, rest = [], set(), set(), []
        for p in pending:
            a, b, key = p[0].lower(), p[1].lower(), p[2]
            if len(current) < batch and key not in keys and a not in texts and b not in texts:
                current.append(p)
                keys.add(key)
                texts.update((a, b))
            else:
                rest.append(p)
        if len(current) < 2:  # leftovers that cannot form a batch with negatives
            break
        batches.append(current)
        pending = rest
    return batches


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--base", default=None, help="model dir (default: the packaged all-MiniLM-L6-v2)")
    ap.add_argument("--pairs", default="alt-pref,alt-alt")
    ap.add_argument("--alt-alt-k", type=int, default=1)
    ap.add_argument("--isco-k", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--batch", type=int, default=96)
    ap.add_argument("--max-seq", type=int, default=32)
    ap.add_argument("--desc-seq", type=int, default=128)
    ap.add_argument("--warmup", type=float, default=0.1)
    ap.add_argument("--scale", type=float, default=20.0)
    ap.add_argument("--symmetric", action="store_true", help="also doc->query direction in the loss")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (timing tests)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    rng = random.Random(args.seed)

    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from transformers import get_linear_schedule_with_warmup

    from embeddings.encoder import resolve_model

    base = args.base or resolve_model(None)
    model = SentenceTransformer(base, device="cpu", local_files_only=True)
    directions = ("query_to_doc", "doc_to_query") if args.symmetric else ("query_to_doc",)
    loss_fn = MultipleNegativesRankingLoss(model, scale=args.scale, directions=directions)

    kinds = [k.strip() for k in args.pairs.split(",") if k.strip()]
    occs = load_esco()
    counts = {}
    epoch_batches = []
    for epoch in range(args.epochs):
        # pairs (alt-alt partners, isco picks) and batches are re-drawn each epoch
        pairs = build_pairs(occs, kinds, rng, args.alt_alt_k, args.isco_k)
        if epoch == 0:
            counts = {k: len(v) for k, v in pairs.items()}
        batches = []
        for kind, plist in pairs.items():
            seq = args.desc_seq if kind in ("desc", "altdesc") else args.max_seq
            batches += [(kind, seq, b) for b in make_batches(plist, args.batch, rng)]
        rng.shuffle(batches)
        epoch_batches.append(batches)
    total = sum(len(b) for b in epoch_batches)
    if args.max_steps:
        total = min(total, args.max_steps)
    print(f"occupations {len(occs)}; pairs per epoch {counts}; steps {total}", flush=True)

    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    params = [
        {"params": [p for n, p in model.named_parameters() if not any(x in n for x in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(x in n for x in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(params, lr=args.lr)
    sched = get_linear_schedule_with_warmup(opt, int(args.warmup * total), total)

    model.train()
    step, started, running = 0, time.perf_counter(), []
    done = False
    for epoch, batches in enumerate(epoch_batches):
        for kind, seq, batch in batches:
            model.max_seq_length = seq
            feats = [model.tokenize([p[0] for p in batch]), model.tokenize([p[1] for p in batch])]
            loss = loss_fn(feats, None)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            running.append(loss.item())
            if step % 50 == 0 or step == total:
                el = time.perf_counter() - started
                print(f"epoch {epoch} step {step}/{total} loss {np.mean(running[-50:]):.4f} "
                      f"{el:.0f}s (eta {el / step * (total - step):.0f}s)", flush=True)
            if step >= total:
                done = True
                break
        if done:
            break
    seconds = time.perf_counter() - started
    model.eval()
    model.max_seq_length = 256  # keep the packaged model's own limit for inference
    out = Path(args.out)
    model.save(str(out))
    meta = {**vars(args), "base": base, "pairs_per_epoch": counts, "steps": step,
            "train_seconds": round(seconds, 1), "final_loss_50": float(np.mean(running[-50:]))}
    (out / "train_meta.json").write_text(json.dumps(meta, indent=2))
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
