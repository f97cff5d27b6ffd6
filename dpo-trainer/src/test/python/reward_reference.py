#!/usr/bin/env python3
"""PyTorch reference for RewardPyTorchGoldenTest: a LlamaForSequenceClassification on stories260K.

An independent implementation of what Hugging Face and TRL do, written from their sources:
- the base: llama2.c stories260K (float32), dpo_reference.py's forward pass without the LM head;
- the head: score = Linear(dim, 1, bias=False) with the fixed weights below (written to the output);
- pooling as transformers' sequence classification: rows right-padded with pad_token_id (2 = EOS,
  TRL's fallback), last_non_pad_token = (arange(T) * (input_ids != pad_token_id)).argmax(-1);
- the loss as TRL's RewardTrainer.compute_loss: rewards chunked into chosen / rejected halves,
  -logsigmoid(r_c - r_r - margin).mean() + center_rewards_coefficient * mean((r_c + r_r) ** 2);
- TRL's logged metrics of that batch (accuracy, margin, min/mean/max reward);
- three full-batch steps of torch.optim.AdamW (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight
  decay 0.01) with clip_grad_norm_(1.0) over every weight and the head.
Writes the rewards, pooled positions, loss and per-step losses as JSON.

  python3 reward_reference.py /work/shared/models/stories260K/stories260K.bin > reward-golden.json
Produced with Debian's python3-torch 1.13, 2 threads.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

from dpo_reference import hidden, load

PAD = 2
# (chosen sequence, rejected sequence, margin): BOS = 1, EOS = 2 — copied in RewardPyTorchGoldenTest.
PAIRS = [
    ([1, 400, 261, 300, 270, 280, 290, 2], [1, 400, 261, 300, 310, 320, 2], 0.5),
    ([1, 350, 351, 352, 353, 354, 355, 2], [1, 350, 351, 356, 357, 358, 2], 0.0),
    ([1, 260, 261, 262, 263, 264, 265, 2], [1, 260, 261, 262, 263, 266, 2], -0.25),
    ([1, 500, 501, 502, 503, 504, 2], [1, 500, 501, 505, 506, 507, 508, 509, 2], 1.0),
]
CENTER, LR, WD, STEPS, MAX_NORM = 0.01, 1e-3, 0.01, 3, 1.0


def batch():
    rows = [c for c, _, _ in PAIRS] + [r for _, r, _ in PAIRS]
    t = max(len(r) for r in rows)
    ids = torch.full((len(rows), t), PAD, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
    return ids


def rewards(cfg, p, score, ids):
    logits = hidden(cfg, p, ids) @ score.T  # (N, T, 1): transformers scores every position, then pools
    non_pad = (ids != PAD).int()
    last = (torch.arange(ids.shape[-1], dtype=torch.int32) * non_pad).argmax(-1)
    return logits[torch.arange(ids.shape[0]), last].squeeze(-1), last


def loss_of(r, margin):
    rc, rr = torch.chunk(r, chunks=2)
    loss = -F.logsigmoid(rc - rr - margin).mean()
    return loss + CENTER * torch.mean((rc + rr) ** 2)


def main():
    torch.set_num_threads(2)
    cfg, p = load(sys.argv[1])
    head = [0.02 * math.sin(i + 1.0) for i in range(cfg["dim"])]
    score = torch.nn.Parameter(torch.tensor([head], dtype=torch.float32))
    ids = batch()
    margin = torch.tensor([m for _, _, m in PAIRS], dtype=torch.float32)
    with torch.no_grad():
        r0, last = rewards(cfg, p, score, ids)
        loss0 = loss_of(r0, margin)
        # the metrics as TRL's compute_loss computes them (one device, so gather is the identity)
        rc0, rr0 = torch.chunk(r0, chunks=2)
        metrics = {"accuracy": (rc0 > rr0).float().mean().item(), "margin": (rc0 - rr0).mean().item(),
                   "min_reward": r0.min().item(), "mean_reward": r0.mean().item(), "max_reward": r0.max().item()}
    params = list(p.values()) + [score]
    opt = torch.optim.AdamW(params, lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=WD)
    losses = []
    for _ in range(STEPS):
        r, _ = rewards(cfg, p, score, ids)
        loss = loss_of(r, margin)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, MAX_NORM)
        opt.step()
        losses.append(loss.item())
    json.dump({"torch": torch.__version__, "pad_token_id": PAD, "center_rewards_coefficient": CENTER, "lr": LR,
               "weight_decay": WD, "max_grad_norm": MAX_NORM, "head": head, "last_index": last.tolist(), "rewards": r0.tolist(), "loss": loss0.item(),
               "metrics": metrics, "losses": losses}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
