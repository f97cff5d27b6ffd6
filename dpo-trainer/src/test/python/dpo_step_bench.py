#!/usr/bin/env python3
"""Eager PyTorch DPO step on stories260K, for comparison with `genderalign bench dpo`.

Same shapes as the Java benchmark: B pairs x T tokens per row (random ids), live frozen
reference, sigmoid DPO, AdamW, clipping 1.0, 2 threads. Prints tokens/s and median step time.

  python3 dpo_step_bench.py /work/shared/models/stories260K/stories260K.bin [B] [T] [steps]
"""
import sys
import time

import torch
import torch.nn.functional as F

from dpo_reference import load, logps


def main():
    torch.set_num_threads(2)
    path = sys.argv[1]
    b = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    t = int(sys.argv[3]) if len(sys.argv) > 3 else 256
    steps = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    cfg, policy = load(path)
    _, ref = load(path)
    for p in ref.values():
        p.requires_grad_(False)
    g = torch.Generator().manual_seed(7)
    opt = torch.optim.AdamW(policy.values(), lr=1e-5)
    times = []
    for i in range(steps + 2):
        ids = torch.randint(3, cfg["vocab"], (2 * b, t), generator=g)
        mask = torch.zeros(2 * b, t)
        mask[:, t // 4:] = 1
        t0 = time.perf_counter()
        with torch.no_grad():
            rl = logps(cfg, ref, ids, mask)
        pl = logps(cfg, policy, ids, mask)
        z = (pl[:b] - rl[:b]) - (pl[b:] - rl[b:])
        loss = F.softplus(-0.1 * z).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(policy.values(), 1.0)
        opt.step()
        if i >= 2:
            times.append(time.perf_counter() - t0)
    times.sort()
    med = times[len(times) // 2]
    print(f"pytorch {torch.__version__} eager: tokens_per_s={2 * b * t / med:.0f} step_s={med:.4f}")


if __name__ == "__main__":
    main()
