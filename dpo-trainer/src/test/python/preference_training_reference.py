#!/usr/bin/env python3
"""PyTorch reference for PreferenceTrainingGoldenTest: three full-batch steps on stories260K for
every DPO loss_type of TRL v1.9.0, loss mixtures, WPO (use_weighting), LD-DPO (ld_alpha), bco_pair's
old running baseline, and KTO (kto, apo_zero_unpaired).

The model, data layout, optimizer and schedule are those of dpo_reference.py (stories260K float32,
reference = frozen copy, AdamW lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01,
clip_grad_norm_ 1.0, constant LR). The losses follow TRL v1.9.0's DPOTrainer._compute_loss and
KTOTrainer._compute_loss (trl/trainer/dpo_trainer.py, kto_trainer.py), written here
independently of the Java code. Writes the per-step losses (and a few metrics) as JSON.

  /usr/bin/python3 preference_training_reference.py /work/shared/models/stories260K/stories260K.bin \
      > ../resources/org/genderalign/trainer/dpo/preference-training-golden.json
Produced with Debian's python3-torch 1.13, 2 threads.
"""
import json
import sys

import torch
import torch.nn.functional as F

from dpo_reference import PAIRS, batch, forward, load

LR, WD, STEPS, MAX_NORM, SEED = 1e-3, 0.01, 3, 1.0, 1

DPO_RUNS = {n: {"loss_type": [n]} for n in [
    "sigmoid", "hinge", "ipo", "nca_pair", "bco_pair", "sppo_hard", "aot", "aot_unpaired", "apo_zero",
    "apo_down", "discopop", "sigmoid_norm", "sft"]}
DPO_RUNS["exo_pair"] = {"loss_type": ["exo_pair"], "label_smoothing": 1e-3}
DPO_RUNS["robust"] = {"loss_type": ["robust"], "label_smoothing": 0.1}
DPO_RUNS["cdpo"] = {"loss_type": ["cdpo"], "label_smoothing": 0.1}  # TRL <= 0.28's sigmoid with smoothing
DPO_RUNS["mpo"] = {"loss_type": ["sigmoid", "bco_pair", "sft"], "loss_weights": [0.8, 0.2, 1.0]}
DPO_RUNS["wpo"] = {"loss_type": ["sigmoid"], "use_weighting": True}
DPO_RUNS["ld"] = {"loss_type": ["sigmoid"], "ld_alpha": 0.5}
DPO_RUNS["mpo_ld"] = {"loss_type": ["sigmoid", "bco_pair", "sft"], "loss_weights": [0.8, 0.2, 1.0], "ld_alpha": 0.3}
DPO_RUNS["ipo_nca_wpo_ld"] = {"loss_type": ["ipo", "nca_pair"], "loss_weights": [0.5, 2.0], "use_weighting": True,
                              "ld_alpha": 0.0}
DPO_RUNS["bco_running"] = {"loss_type": ["bco_pair"], "bco_running_baseline": True}

# KTO: unpaired examples from the pairs (pair 1 loses its rejected answer: 4 desirable, 3 undesirable)
KTO_EXAMPLES = [(PAIRS[0][0], PAIRS[0][1], True), (PAIRS[0][0], PAIRS[0][2], False),
                (PAIRS[1][0], PAIRS[1][1], True),
                (PAIRS[2][0], PAIRS[2][1], True), (PAIRS[2][0], PAIRS[2][2], False),
                (PAIRS[3][0], PAIRS[3][1], True), (PAIRS[3][0], PAIRS[3][2], False)]
KTO_RUNS = {"kto": {"loss_type": "kto"},
            "kto_weighted": {"loss_type": "kto", "desirable_weight": 1.0, "undesirable_weight": 1.33},
            "apo_zero_unpaired": {"loss_type": "apo_zero_unpaired"}}


def selective_log_softmax(logits, ids):
    return logits.log_softmax(-1).gather(-1, ids[..., None]).squeeze(-1)


def sequence_logps(per_token, shift_mask, ld_alpha):
    """TRL's sums: plain, or LD-DPO's shared + alpha * tail (chosen rows first, then rejected)."""
    if ld_alpha is None:
        return per_token.sum(1)
    comp_pos = shift_mask.cumsum(dim=1)
    chosen_lens, rejected_lens = shift_mask.sum(dim=1).long().chunk(2, dim=0)
    shared = torch.minimum(chosen_lens, rejected_lens)
    shared = torch.cat([shared, shared], dim=0)
    shared_mask = (comp_pos > 0) & (comp_pos <= shared.unsqueeze(1))
    tail_mask = comp_pos > shared.unsqueeze(1)
    return (per_token * shared_mask).sum(1) + ld_alpha * (per_token * tail_mask).sum(1)


class Running:  # TRL <= 0.28 RunningMoments, mean only (var is unused by bco_pair)
    def __init__(self):
        self.mean, self.count = 0.0, 1e-24

    def update(self, xs):
        delta = xs.item() - self.mean
        tot = self.count + 1
        self.mean += delta / tot
        self.count = tot


def dpo_step_loss(cfg, logits, ids, mask, ref, running):
    beta, eps = 0.1, cfg.get("label_smoothing", 0.0)
    ld_alpha = cfg.get("ld_alpha")
    shift_logits, shift_labels, shift_mask = logits[:, :-1], ids[:, 1:], mask[:, 1:]
    per_token = selective_log_softmax(shift_logits, shift_labels) * shift_mask
    chosen_logps, rejected_logps = sequence_logps(per_token, shift_mask, ld_alpha).chunk(2, dim=0)
    ref_chosen, ref_rejected = ref
    cr, rj = chosen_logps - ref_chosen, rejected_logps - ref_rejected
    delta = cr - rj
    n = cr.shape[0]
    loss, parts = 0.0, {}
    weights = cfg.get("loss_weights") or [1.0] * len(cfg["loss_type"])
    for lt, w in zip(cfg["loss_type"], weights):
        if lt == "sigmoid":
            l = -F.logsigmoid(beta * delta)
        elif lt == "cdpo":
            l = -F.logsigmoid(beta * delta) * (1 - eps) - F.logsigmoid(-beta * delta) * eps
        elif lt == "hinge":
            l = torch.relu(1 - beta * delta)
        elif lt == "ipo":
            cm, rm = mask.chunk(2, dim=0)
            d = cr / cm.sum(1).clamp(min=1.0) - rj / rm.sum(1).clamp(min=1.0)
            l = (d - 1 / (2 * beta)) ** 2
        elif lt == "exo_pair":
            e = torch.tensor(eps)
            x = beta * delta
            l = torch.sigmoid(x) * (F.logsigmoid(x) - torch.log1p(-e)) + torch.sigmoid(-x) * (F.logsigmoid(-x) - torch.log(e))
        elif lt == "nca_pair":
            a, b = beta * cr, beta * rj
            l = -F.logsigmoid(a) - 0.5 * F.logsigmoid(-a) - 0.5 * F.logsigmoid(-b)
        elif lt == "robust":
            l = (-(1 - eps) * F.logsigmoid(beta * delta) + eps * F.logsigmoid(-beta * delta)) / (1 - 2 * eps)
        elif lt == "bco_pair":
            d = 0.0
            if cfg.get("bco_running_baseline"):
                running.update(torch.cat((beta * cr, beta * rj), 0).mean().detach())
                d = running.mean
            l = -F.logsigmoid(beta * cr - d) - F.logsigmoid(-(beta * rj - d))
        elif lt == "sppo_hard":
            l = (cr - 0.5 / beta) ** 2 + (rj + 0.5 / beta) ** 2
        elif lt == "aot":
            d = torch.sort(chosen_logps - rejected_logps, dim=0)[0] - torch.sort(ref_chosen - ref_rejected, dim=0)[0]
            l = -F.logsigmoid(beta * d) * (1 - eps) - F.logsigmoid(-beta * d) * eps
        elif lt == "aot_unpaired":
            d = torch.sort(cr, dim=0)[0] - torch.sort(rj, dim=0)[0]
            l = -F.logsigmoid(beta * d) * (1 - eps) - F.logsigmoid(-beta * d) * eps
        elif lt == "apo_zero":
            l = 1 - torch.sigmoid(beta * cr) + torch.sigmoid(beta * rj)
        elif lt == "apo_down":
            l = torch.sigmoid(beta * cr) + 1 - torch.sigmoid(beta * delta)
        elif lt == "discopop":
            x = beta * delta
            m = torch.sigmoid(x / 0.05)
            l = -F.logsigmoid(x) * (1 - m) + torch.exp(-x) * m
        elif lt == "sft":
            cl, cb, cmk = shift_logits[:n], shift_labels[:n], shift_mask[:n].bool()
            l = F.cross_entropy(cl[cmk], cb[cmk]).expand(n)
        elif lt == "sigmoid_norm":
            cm, rm = mask.chunk(2, dim=0)
            l = -F.logsigmoid(beta * (cr / cm.sum(1).clamp(min=1.0) - rj / rm.sum(1).clamp(min=1.0)))
        else:
            raise ValueError(lt)
        if cfg.get("use_weighting"):
            lengths = shift_mask.sum(1).clamp_min(1)
            with torch.no_grad():
                lse1 = torch.logsumexp(shift_logits, dim=-1)
                lse2 = torch.logsumexp(2.0 * shift_logits, dim=-1)
                aligned = (per_token - (lse2 - 2.0 * lse1)) * shift_mask
            wts = torch.exp(aligned.sum(1) / lengths)
            l = l * wts[:n] * wts[n:]
        parts[lt] = l.mean().item()
        loss = loss + l.mean() * w
    metrics = {"rewards/chosen": (beta * cr).mean().item(), "rewards/margins": (beta * delta).mean().item(),
               "logps/chosen": chosen_logps.mean().item()}
    if len(cfg["loss_type"]) > 1:
        for k, v in parts.items():
            metrics["nll_loss" if k == "sft" else "loss/" + k] = v
    return loss, metrics


def run_dpo(path, cfg):
    model_cfg, policy = load(path)
    _, ref_params = load(path)
    ids, mask = batch()
    with torch.no_grad():
        per_token = selective_log_softmax(forward(model_cfg, ref_params, ids)[:, :-1], ids[:, 1:]) * mask[:, 1:]
        ref = sequence_logps(per_token, mask[:, 1:], cfg.get("ld_alpha")).chunk(2, dim=0)
    opt = torch.optim.AdamW(policy.values(), lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=WD)
    running, losses, metrics = Running(), [], []
    for _ in range(STEPS):
        loss, m = dpo_step_loss(cfg, forward(model_cfg, policy, ids), ids, mask, ref, running)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(policy.values(), MAX_NORM)
        opt.step()
        losses.append(loss.item())
        metrics.append(m)
    return {"config": cfg, "losses": losses, "metrics": metrics}


def java_permutation(seed, n, epoch):
    """TrainingLoop.permutation: Fisher-Yates with java.util.SplittableRandom(seed * GOLDEN + epoch)."""
    m64, golden = (1 << 64) - 1, 0x9E3779B97F4A7C15
    state = [(seed * golden + epoch) & m64]

    def next_int():
        state[0] = (state[0] + golden) & m64
        z = state[0]
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & m64
        r = (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & m64) >> 32
        return r - (1 << 32) if r >= (1 << 31) else r

    def bounded(bound):
        r, m = next_int(), bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if ((u + m - r) & 0xFFFFFFFF) < (1 << 31):
                return r
            u = (next_int() & 0xFFFFFFFF) >> 1

    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = bounded(i + 1)
        p[i], p[j] = p[j], p[i]
    return p


def rows(pairs_of_prompt_completion):
    t = max(len(a) + len(b) for a, b in pairs_of_prompt_completion)
    ids = torch.full((len(pairs_of_prompt_completion), t), 2, dtype=torch.long)
    mask = torch.zeros(len(pairs_of_prompt_completion), t)
    for i, (a, b) in enumerate(pairs_of_prompt_completion):
        ids[i, :len(a) + len(b)] = torch.tensor(a + b)
        mask[i, len(a):len(a) + len(b)] = 1
    return ids, mask


def completion_logps(model_cfg, params, ids, mask):
    return (selective_log_softmax(forward(model_cfg, params, ids)[:, :-1], ids[:, 1:]) * mask[:, 1:]).sum(1)


def run_kto(path, cfg):
    beta = 0.1
    dw, uw = cfg.get("desirable_weight", 1.0), cfg.get("undesirable_weight", 1.0)
    calculate_kl = cfg["loss_type"] != "apo_zero_unpaired"
    model_cfg, policy = load(path)
    _, ref_params = load(path)
    opt = torch.optim.AdamW(policy.values(), lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=WD)
    losses, metrics = [], []
    for step in range(STEPS):  # one full batch per step: the order of epoch `step`
        ex = [KTO_EXAMPLES[i] for i in java_permutation(SEED, len(KTO_EXAMPLES), step)]
        ids, mask = rows([(p, c) for p, c, _ in ex])
        # the KL completions: rotated by one within the batch, y'_i = y_{i-1}
        kl_ids, kl_mask = rows([(ex[i][0], ex[i - 1][1]) for i in range(len(ex))])
        labels = torch.tensor([lab for _, _, lab in ex])
        logps = completion_logps(model_cfg, policy, ids, mask)
        with torch.no_grad():
            ref_logps = completion_logps(model_cfg, ref_params, ids, mask)
            if calculate_kl:
                kl_logps = completion_logps(model_cfg, policy, kl_ids, kl_mask)
                ref_kl_logps = completion_logps(model_cfg, ref_params, kl_ids, kl_mask)
                kl = (kl_logps - ref_kl_logps).mean().detach().clamp(min=0)
            else:
                kl = torch.zeros(1)
        cr = logps[labels] - ref_logps[labels]
        rj = logps[~labels] - ref_logps[~labels]
        if cfg["loss_type"] == "kto":
            chosen_losses = 1 - F.sigmoid(beta * (cr - kl))
            rejected_losses = 1 - F.sigmoid(beta * (kl - rj))
        else:
            chosen_losses = 1 - F.sigmoid(beta * cr)
            rejected_losses = F.sigmoid(beta * rj)
        loss = torch.cat((dw * chosen_losses, uw * rejected_losses), 0).nanmean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(policy.values(), MAX_NORM)
        opt.step()
        losses.append(loss.item())
        rc, rr = (beta * cr).mean().item(), (beta * rj).mean().item()
        metrics.append({"kl": kl.item(), "rewards/chosen": rc, "rewards/rejected": rr, "rewards/margins": rc - rr,
                        "logps/chosen": logps[labels].mean().item(), "logps/rejected": logps[~labels].mean().item()})
    return {"config": cfg, "losses": losses, "metrics": metrics}


def main():
    torch.set_num_threads(2)
    path = sys.argv[1]
    out = {"torch": torch.__version__, "trl": "v1.9.0", "beta": 0.1, "lr": LR, "weight_decay": WD,
           "max_grad_norm": MAX_NORM, "steps": STEPS, "seed": SEED,
           "kto_examples": [{"prompt": p, "completion": c, "label": lab} for p, c, lab in KTO_EXAMPLES],
           "dpo": {k: run_dpo(path, v) for k, v in DPO_RUNS.items()},
           "kto": {k: run_kto(path, v) for k, v in KTO_RUNS.items()}}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
