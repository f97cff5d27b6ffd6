#!/usr/bin/env python3
"""Golden values for PreferenceLossGoldenTest: every TRL DPO loss_type on random log-probs.

An independent implementation of the per-pair formulas of TRL v1.9.0's
DPOTrainer._compute_loss (trl/trainer/dpo_trainer.py), written literally as TRL writes them but
evaluated in mpmath at 60 significant digits, so that no overflow or cancellation distorts the
reference (TRL's own float arithmetic is also run, in torch, only to record where it stops being
finite). Inputs are random summed log-probs, including extreme margins (|beta * z| up to ~1e4).

Also: loss mixtures with weights and WPO pair weights (as given inputs), and the running reward
baseline of TRL <= 0.28's bco_pair over a sequence of training batches.

  /usr/bin/python3 preference_losses_reference.py > ../resources/org/genderalign/trainer/dpo/loss/preference-losses-golden.json
"""
import json
import random
import sys

import mpmath as mp
import torch
import torch.nn.functional as F

mp.mp.dps = 60

LOSSES = ["sigmoid", "cdpo", "robust", "hinge", "ipo", "exo_pair", "nca_pair", "bco_pair", "sppo_hard", "aot",
          "aot_unpaired", "apo_zero", "apo_down", "discopop", "sigmoid_norm", "sft"]
MIXTURES = [
    {"types": ["sigmoid", "bco_pair", "sft"], "weights": [0.8, 0.2, 1.0], "wpo": False},  # MPO
    {"types": ["sigmoid", "sft"], "weights": [1.0, 0.005], "wpo": False},  # RPO
    {"types": ["sigmoid"], "weights": [1.0], "wpo": True},  # WPO
    {"types": ["ipo", "nca_pair", "discopop"], "weights": [0.5, 1.5, 0.25], "wpo": True},
]


def logsig(x):
    return -mp.log(1 + mp.exp(-x))


def sig(x):
    return 1 / (1 + mp.exp(-x))


def mp_losses(name, c):
    """Per-pair losses of one case, TRL's formulas in mpmath."""
    beta, eps, tau = mp.mpf(c["beta"]), mp.mpf(c["eps"]), mp.mpf(c["tau"])
    pc, pr, rc_, rr_ = ([mp.mpf(v) for v in c[k]] for k in ("pc", "pr", "rc", "rr"))
    nc = [max(1, v) for v in c["nc"]]
    nr = [max(1, v) for v in c["nr"]]
    b = len(pc)
    cr = [pc[i] - rc_[i] for i in range(b)]  # chosen log-ratios
    rj = [pr[i] - rr_[i] for i in range(b)]
    z = [cr[i] - rj[i] for i in range(b)]
    out = []
    if name in ("aot", "aot_unpaired"):
        if name == "aot":
            a = sorted(pc[i] - pr[i] for i in range(b))
            r = sorted(rc_[i] - rr_[i] for i in range(b))
        else:
            a, r = sorted(cr), sorted(rj)
        for i in range(b):
            d = a[i] - r[i]
            out.append(-logsig(beta * d) * (1 - eps) - logsig(-beta * d) * eps)
        return out
    if name == "sft":
        full = [mp.mpf(v) for v in c["pc_full"]]
        tokens = max(1, sum(c["nc"]))
        return [-sum(full) / tokens] * b
    for i in range(b):
        x = beta * z[i]
        if name == "sigmoid":
            v = -logsig(x)
        elif name == "cdpo":  # TRL <= 0.28's sigmoid with label smoothing
            v = -logsig(x) * (1 - eps) - logsig(-x) * eps
        elif name == "robust":
            v = (-(1 - eps) * logsig(x) - (-eps * logsig(-x))) / (1 - 2 * eps)
        elif name == "hinge":
            v = max(mp.mpf(0), 1 - x)
        elif name == "ipo":
            d = cr[i] / nc[i] - rj[i] / nr[i]
            v = (d - 1 / (2 * beta)) ** 2
        elif name == "exo_pair":
            qw, ql = sig(x), sig(-x)
            v = qw * (logsig(x) - mp.log(1 - eps)) + ql * (logsig(-x) - mp.log(eps))
        elif name == "nca_pair":
            a, r = beta * cr[i], beta * rj[i]
            v = -logsig(a) - mp.mpf("0.5") * logsig(-a) - mp.mpf("0.5") * logsig(-r)
        elif name == "bco_pair":
            v = -logsig(beta * cr[i]) - logsig(-beta * rj[i])
        elif name == "sppo_hard":
            v = (cr[i] - mp.mpf("0.5") / beta) ** 2 + (rj[i] + mp.mpf("0.5") / beta) ** 2
        elif name == "apo_zero":
            v = (1 - sig(beta * cr[i])) + sig(beta * rj[i])
        elif name == "apo_down":
            v = sig(beta * cr[i]) + (1 - sig(x))
        elif name == "discopop":
            m = sig(x / tau)
            v = -logsig(x) * (1 - m) + mp.exp(-x) * m
        elif name == "sigmoid_norm":
            v = -logsig(beta * (cr[i] / nc[i] - rj[i] / nr[i]))
        else:
            raise ValueError(name)
        out.append(v)
    return out


def trl_torch_nonfinite(name, c, dtype):
    """Whether TRL's own arithmetic (the torch expressions of _compute_loss) gives NaN/Inf here."""
    t = lambda k: torch.tensor(c[k], dtype=dtype)
    beta, eps, tau = c["beta"], c["eps"], c["tau"]
    cr, rj = t("pc") - t("rc"), t("pr") - t("rr")
    x = beta * (cr - rj)
    if name == "discopop":
        m = torch.sigmoid(x / tau)
        v = -F.logsigmoid(x) * (1 - m) + torch.exp(-x) * m
    elif name == "exo_pair":
        e = torch.tensor(eps, dtype=dtype)
        v = torch.sigmoid(x) * (F.logsigmoid(x) - torch.log1p(-e)) + torch.sigmoid(-x) * (F.logsigmoid(-x) - torch.log(e))
    elif name == "apo_zero":
        v = 1 - torch.sigmoid(beta * cr) + torch.sigmoid(beta * rj)
    else:
        return False
    return not bool(torch.isfinite(v).all())


def case(rnd, b, scale, extreme):
    beta = rnd.choice([0.01, 0.1, 0.5, 1.0]) if not extreme else rnd.choice([0.1, 1.0])
    # extreme margins with tau > 1 have true discopop values beyond any float (e^{|x|(1 - 1/tau)})
    c = {"beta": beta, "eps": rnd.choice([0.001, 0.1, 0.3]),
         "tau": rnd.choice([0.05, 0.5] if extreme else [0.05, 0.5, 2.0])}
    c["nc"] = [rnd.randint(0, 40) for _ in range(b)]  # 0 exercises the clamp to 1
    c["nr"] = [rnd.randint(1, 40) for _ in range(b)]
    c["pc"] = [-0.05 - rnd.random() * 3 * max(1, n) for n in c["nc"]]
    c["pr"] = [-0.05 - rnd.random() * 3 * n for n in c["nr"]]
    c["rc"] = [v + rnd.gauss(0, scale) for v in c["pc"]]
    c["rr"] = [v + rnd.gauss(0, scale) for v in c["pr"]]
    if extreme:  # margins of both signs far beyond where exp overflows
        for i in range(b):
            s = rnd.choice([-1, 1]) * rnd.uniform(800, 10000)
            c["rc"][i] = c["pc"][i] - s
            c["rr"][i] = c["pr"][i] + rnd.uniform(-5, 5)
    c["pc_full"] = [v - rnd.random() * 2 for v in c["pc"]]  # plain sums differ from LD-weighted ones
    c["w"] = [rnd.random() ** 2 for _ in range(b)]  # WPO pair weights
    return c


def main():
    rnd = random.Random(20240615)
    cases = []
    for k in range(16):
        extreme = k >= 12
        c = case(rnd, rnd.randint(1, 7) if not extreme else 6, rnd.choice([0.5, 5, 50]), extreme)
        c["losses"] = {n: [float(v) for v in mp_losses(n, c)] for n in LOSSES}
        mix = []
        for m in MIXTURES:
            total = [mp.mpf(0)] * len(c["pc"])
            for name, wt in zip(m["types"], m["weights"]):
                for i, v in enumerate(mp_losses(name, c)):
                    total[i] += mp.mpf(wt) * (mp.mpf(c["w"][i]) if m["wpo"] else 1) * v
            mix.append([float(v) for v in total])
        c["mixtures"] = mix
        c["trl_nonfinite"] = {str(d).replace("torch.", ""): [n for n in LOSSES if trl_torch_nonfinite(n, c, d)]
                              for d in (torch.float32, torch.float64)}
        cases.append(c)

    # bco_pair with TRL <= 0.28's running baseline: three training batches, then one evaluation batch
    seq = [case(rnd, 4, 2, False) for _ in range(4)]
    beta = 0.1
    mean, count, bco = mp.mpf(0), mp.mpf("1e-24"), []
    for j, c in enumerate(seq):
        c["beta"] = beta
        cr = [mp.mpf(c["pc"][i]) - mp.mpf(c["rc"][i]) for i in range(4)]
        rj = [mp.mpf(c["pr"][i]) - mp.mpf(c["rr"][i]) for i in range(4)]
        if j < 3:  # training: update first (RunningMoments.update), then use the new mean
            m = sum(beta * v for v in cr + rj) / 8
            tot = count + 1
            mean += (m - mean) / tot
            count = tot
        bco.append({"batch": {k: c[k] for k in ("pc", "pr", "rc", "rr", "nc", "nr")}, "training": j < 3,
                    "baseline": float(mean),
                    "losses": [float(-logsig(beta * cr[i] - mean) - logsig(-(beta * rj[i] - mean))) for i in range(4)]})

    json.dump({"trl": "v1.9.0 trl/trainer/dpo_trainer.py DPOTrainer._compute_loss", "mpmath_dps": mp.mp.dps,
               "torch": torch.__version__, "losses": LOSSES, "mixtures": MIXTURES, "cases": cases,
               "bco_running_baseline": {"beta": beta, "steps": bco}}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
